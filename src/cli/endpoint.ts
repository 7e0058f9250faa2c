import { CliError, exitCodes } from './exit-codes.js';

/**
 * Where the commands that talk to a server send their requests, and as whom. Flags win over
 * the environment a user already has for the AWS CLI (AWS_ENDPOINT_URL, AWS_REGION, keys).
 */
export interface Endpoint {
  readonly url: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export const defaultEndpointUrl = 'http://127.0.0.1:4566';

/** The variables the client commands read (rendered into docs/configuration.md). */
export const clientEnvironment: readonly { readonly name: string; readonly description: string }[] = [
  {
    name: 'AMIWATCH_ENDPOINT_URL',
    description: `The server the client commands talk to (flag --endpoint-url; default ${defaultEndpointUrl}).`,
  },
  { name: 'AWS_ENDPOINT_URL', description: 'Used when AMIWATCH_ENDPOINT_URL is not set: the variable the AWS CLI and SDKs read too.' },
  { name: 'AWS_REGION, AWS_DEFAULT_REGION', description: 'Region of the requests (flag --region; default us-east-1).' },
  {
    name: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY',
    description: 'Keys the requests are signed with (default test/test; any key works unless the server has --credentials-file).',
  },
  { name: 'NO_COLOR', description: 'Set to anything: no colours even on a terminal (also --no-color).' },
];

export const endpointHelp = `Server: --endpoint-url, else AMIWATCH_ENDPOINT_URL, else AWS_ENDPOINT_URL, else ${defaultEndpointUrl}.
Region: --region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. Keys: AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY, else test/test (accepted unless the server has --credentials-file).`;

export function resolveEndpoint(
  flags: { endpointUrl?: string; region?: string },
  env: Readonly<Record<string, string | undefined>>,
): Endpoint {
  const url = (flags.endpointUrl ?? env.AMIWATCH_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL ?? defaultEndpointUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(url)) throw new CliError(`--endpoint-url must look like http://HOST:PORT, got ${url}`, exitCodes.usage);
  return {
    url,
    region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test' },
  };
}

/**
 * A request to amiwatch's control API (`/_amiwatch/…`). Connection failures become the
 * "no server here" error with what to do about it.
 */
export async function control<T>(
  e: Endpoint,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(`${e.url}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined && { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
    });
  } catch (err) {
    throw unreachable(e, err);
  }
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export function unreachable(e: Endpoint, cause: unknown): CliError {
  const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
  return new CliError(
    `no amiwatch server answers at ${e.url} (${reason})`,
    exitCodes.unreachable,
    'start one with `amiwatch start` (or `npm start`) in another terminal, or point at yours with --endpoint-url',
  );
}
