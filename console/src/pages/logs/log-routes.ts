/**
 * The log pages' routes. A group's name has slashes (`/aws/lambda/NAME`): it is one encoded
 * route segment, as the router splits on `/` before decoding.
 */
export const groupHref = (group: string): string => `#/log-group/${encodeURIComponent(group)}`;

export const streamHref = (group: string, stream: string): string =>
  `#/log-stream/${encodeURIComponent(group)}/${encodeURIComponent(stream)}`;

/** The page of a CloudWatch Logs ARN: `…:log-group:NAME[:*]` or `…:log-group:NAME:log-stream:STREAM`. */
export function logsHrefOf(resource: string): string | null {
  if (!resource.startsWith('log-group:')) return null;
  const rest = resource.slice('log-group:'.length).replace(/:\*$/, '');
  const at = rest.indexOf(':log-stream:');
  return at < 0 ? groupHref(rest) : streamHref(rest.slice(0, at), rest.slice(at + ':log-stream:'.length));
}
