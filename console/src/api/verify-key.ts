import { ApiError } from './http.js';
import { session } from './session.js';
import { authorize, type SigningKey } from './sigv4.js';

/**
 * Checks an access key before the console accepts it: one signed call (DescribeEventBus of the
 * default bus, which every account has). A wrong secret or an unknown key is refused by the
 * server with AWS's error, which is thrown as it is; a good key answers with the bus's ARN,
 * which names the key's account.
 */
export async function verifyKey(key: SigningKey): Promise<{ account: string }> {
  const body = JSON.stringify({ Name: 'default' });
  const req = {
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.DescribeEventBus' },
    body,
  };
  const { region, account } = session();
  await authorize(req, { account, region, service: 'events' }, key, location);
  const res = await fetch('/', { method: 'POST', headers: req.headers, body });
  const answer = (await res.json().catch(() => ({}))) as { Arn?: string; __type?: string; message?: string; Message?: string };
  if (!res.ok) {
    const type = String(answer.__type ?? 'Error');
    throw new ApiError(type.slice(type.lastIndexOf('#') + 1), String(answer.message ?? answer.Message ?? res.statusText), res.status);
  }
  return { account: answer.Arn?.split(':')[4] ?? account };
}
