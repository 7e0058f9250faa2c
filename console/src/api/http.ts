import { session } from './session.js';
import { authorize } from './sigv4.js';

/** An error the server answered with: AWS's code and message, shown to the user as they are. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

/** One request to the server, authorised for the current session (see sigv4.ts). */
export async function send(method: string, url: string, service: string, headers: Record<string, string>, body = '', signal?: AbortSignal): Promise<Response> {
  const s = session();
  const req = { method, url, headers: { ...headers }, body };
  await authorize(req, { account: s.account, region: s.region, service }, s.key);
  return fetch(url, { method, headers: req.headers, ...(method !== 'GET' && method !== 'HEAD' && { body }), ...(signal && { signal }) });
}
