import {
  ENV_KEY,
  FUNCTION_NAME,
  HANDLER,
  isPythonRuntime,
  LAMBDA_MEMORY,
  LAMBDA_RUNTIMES,
  LAMBDA_TIMEOUT,
  MAX_HANDLER,
  RESERVED_ENV_KEY,
} from '@amiwatch/shared';

/**
 * Lambda's CreateFunction rules as the console checks them while you type, so a form can say
 * what is wrong before the call, in the form's words. The rules themselves (runtimes, limits,
 * patterns) are the server's, from @amiwatch/shared; the server checks again and its words win.
 */

/** The runtimes amiwatch runs (Node.js on the server's Node.js, Python on an interpreter found at start). */
export const RUNTIMES = LAMBDA_RUNTIMES;
export const DEFAULT_RUNTIME = 'nodejs20.x';

export const MEMORY = LAMBDA_MEMORY;
export const TIMEOUT = LAMBDA_TIMEOUT;

export function functionNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a function name.';
  if (name.length > 64) return 'The name can be at most 64 characters long.';
  if (!FUNCTION_NAME.test(name)) return 'Use only letters, numbers, hyphens (-) and underscores (_); no spaces.';
  return null;
}

/** Lambda takes 1–128 non-blank characters; both runtimes need FILE.EXPORT (MODULE.FUNCTION in Python) to find the code. */
export function handlerProblem(handler: string): string | null {
  const dot = handler.lastIndexOf('.');
  if (!HANDLER.test(handler) || handler.length > MAX_HANDLER || dot <= 0 || dot === handler.length - 1)
    return 'The handler is FILE.EXPORT, e.g. index.handler for the export handler of index.mjs: up to 128 characters, no spaces.';
  return null;
}

export function rangeProblem(text: string, range: { min: number; max: number }, unit: string): string | null {
  if (!/^\d+$/.test(text)) return `Enter a whole number of ${unit}.`;
  const n = Number(text);
  return n < range.min || n > range.max ? `Between ${range.min} and ${range.max} ${unit}.` : null;
}

/** Lambda's environment variable keys: a letter, then letters, digits and underscores (at least two characters). */
export function envKeyProblem(key: string): string | null {
  if (!ENV_KEY.test(key)) return 'A key starts with a letter and has at least 2 characters: letters, numbers, underscores.';
  if (isReservedKey(key)) return `${key} is reserved by Lambda.`;
  return null;
}

export const isReservedKey = (k: string): boolean => RESERVED_ENV_KEY.test(k);

/** Python runtimes (their inline code is a .py file and their handler MODULE.FUNCTION). */
export const isPython = isPythonRuntime;

/** The file inline code is saved as: `index.handler` → index.mjs; in Python `lambda_function.lambda_handler` → lambda_function.py (`pkg.app.main` → pkg/app.py). */
export function inlineFileName(handler: string, runtime?: string): string {
  const dot = handler.lastIndexOf('.');
  if (isPython(runtime)) return `${dot > 0 ? handler.slice(0, dot).replace(/\./g, '/') : 'lambda_function'}.py`;
  return `${dot > 0 ? handler.slice(0, dot) : 'index'}.mjs`;
}

/** The handler a new function starts with, per runtime (the Lambda console's defaults). */
export const defaultHandler = (runtime: string): string => (isPython(runtime) ? 'lambda_function.lambda_handler' : 'index.handler');

export const PYTHON_TEMPLATE = `import json

def lambda_handler(event, context):
    print('Received event: ' + json.dumps(event))
    return {'statusCode': 200, 'body': json.dumps('Hello from amiwatch!')}
`;

export const templateFor = (runtime: string): string => (isPython(runtime) ? PYTHON_TEMPLATE : INLINE_TEMPLATE);

export const INLINE_TEMPLATE = `export const handler = async (event) => {
  console.log('Received event:', JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify('Hello from amiwatch!') };
};
`;
