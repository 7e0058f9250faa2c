/**
 * Lambda's CreateFunction rules as the console checks them while you type, so a form can say
 * what is wrong before the call. The server checks again (its words win); a test keeps these in
 * step with src/core/lambda (the console may not import it: it is a thin client).
 */

/** The runtimes amiwatch runs (Node.js on the server's Node.js, Python on an interpreter found at start). */
export const RUNTIMES: readonly string[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'python3.11', 'python3.12', 'python3.13'];
export const DEFAULT_RUNTIME = 'nodejs20.x';

export const MEMORY = { min: 128, max: 10_240, default: 128 } as const;
export const TIMEOUT = { min: 1, max: 900, default: 3 } as const;

export function functionNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a function name.';
  if (name.length > 64) return 'The name can be at most 64 characters long.';
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) return 'Use only letters, numbers, hyphens (-) and underscores (_); no spaces.';
  return null;
}

/** Lambda takes 1–128 non-blank characters; both runtimes need FILE.EXPORT (MODULE.FUNCTION in Python) to find the code. */
export function handlerProblem(handler: string): string | null {
  const dot = handler.lastIndexOf('.');
  if (!/^\S{1,128}$/.test(handler) || dot <= 0 || dot === handler.length - 1) return 'The handler is FILE.EXPORT, e.g. index.handler for the export handler of index.mjs: up to 128 characters, no spaces.';
  return null;
}

export function rangeProblem(text: string, range: { min: number; max: number }, unit: string): string | null {
  if (!/^\d+$/.test(text)) return `Enter a whole number of ${unit}.`;
  const n = Number(text);
  return n < range.min || n > range.max ? `Between ${range.min} and ${range.max} ${unit}.` : null;
}

/** Lambda's environment variable keys: a letter, then letters, digits and underscores (at least two characters). */
export function envKeyProblem(key: string): string | null {
  if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) return 'A key starts with a letter and has at least 2 characters: letters, numbers, underscores.';
  if (isReservedKey(key)) return `${key} is reserved by Lambda.`;
  return null;
}

export const isReservedKey = (k: string): boolean =>
  /^(_HANDLER|_X_AMZN_TRACE_ID|AWS_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_[A-Z_]+|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/.test(k);

/** The file inline code is saved as: the handler's module with `.mjs` (ES module, as Lambda's console writes new Node.js functions). */
export const isPython = (runtime: string | undefined): boolean => runtime?.startsWith('python') === true;

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
