/**
 * A query-protocol request's parameters (awsQuery, EC2) as a tree: `Filter.1.Value.2=x` is the
 * node Filter → 1 → Value → 2 holding `x`. Built in one pass, each key split once, so reading
 * any list (`X.member.N`, `Filter.N`, `Attribute.N.Name`, `MessageAttribute.N.Value.*`) costs
 * the size of the list, not the size of the whole request per element: the parse is linear in
 * the request (issue 22: one request with 10,000 indexed parameters used to block the server for
 * tens of seconds). Later values of a repeated key win, as URLSearchParams-to-Map did.
 */
export interface FormNode {
  value?: string;
  children?: Map<string, FormNode>;
}

export function formTree(text: string): { root: FormNode; get(key: string): string | undefined } {
  const root: FormNode = {};
  for (const [key, value] of new URLSearchParams(text)) {
    let node = root;
    for (const segment of key.split('.')) {
      node.children ??= new Map();
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, (next = {}));
      node = next;
    }
    node.value = value;
  }
  return { root, get: (key) => key.split('.').reduce<FormNode | undefined>((node, segment) => node?.children?.get(segment), root)?.value };
}

/** The form text of a request: the query string (GET) and the body (POST), joined. */
export function formText(url: string, body: Buffer): string {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return [query, body.toString('utf8')].filter((s) => s.length > 0).join('&');
}

const INDEX = /^[1-9]\d*$/;

/**
 * The 1-based elements under `node` (`X.1`, `X.2`, … — gaps allowed, as AWS allows them), in
 * numeric order. Sorting the indexes present costs n·log n of the list's own size.
 */
export function indexed(node: FormNode | undefined): [number, FormNode][] {
  if (!node?.children) return [];
  const found: [number, FormNode][] = [];
  for (const [segment, child] of node.children) if (INDEX.test(segment)) found.push([Number(segment), child]);
  return found.sort((a, b) => a[0] - b[0]);
}
