import { eventbridge } from './eventbridge.js';

/** Every item of an EventBridge List operation, page after page (`key`: the list's member). */
export async function listAll<T>(operation: string, key: string): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await eventbridge<Record<string, unknown> & { NextToken?: string }>(operation, {
      Limit: 100,
      ...(token && { NextToken: token }),
    });
    out.push(...((page[key] as T[] | undefined) ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}
