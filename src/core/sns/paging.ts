/** Pages of 100, the token being the last ARN of the page (base64). */
export function paginate(arns: readonly string[], token: string | undefined): { page: string[]; next?: string } {
  const after = token ? Buffer.from(token, 'base64').toString('utf8') : '';
  const start = after ? arns.findIndex((a) => a > after) : 0;
  if (start < 0) return { page: [] };
  const page = arns.slice(start, start + 100);
  return start + 100 < arns.length ? { page, next: Buffer.from(page[page.length - 1]!).toString('base64') } : { page };
}
