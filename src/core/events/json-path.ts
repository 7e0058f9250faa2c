/**
 * The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap
 * (eb-transform-target-input: dot notation, dashes, underscores, alphanumerics, array indices,
 * wildcards, forward slashes). `$.detail.State`, `$.resources[0]`, `$.detail.*.id`.
 */
export type PathStep = { key: string } | { index: number } | { wildcard: true };

const STEP = /^(?:\.([A-Za-z0-9_\-/:@$]+)|\.\*|\[(\d+)\]|\[\*\]|\['([^']+)'\])/;

/** Parses a path, or returns null if EventBridge would reject it. */
export function parseJsonPath(path: string): PathStep[] | null {
  if (!path.startsWith('$')) return null;
  const steps: PathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return null;
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ key: m[3] });
    else steps.push({ wildcard: true });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

const MISSING = Symbol('missing');

/** The value at `steps`, or `undefined` when the path does not exist. Wildcards collect arrays. */
export function evaluate(steps: readonly PathStep[], root: unknown): unknown {
  const v = walk(steps, 0, root);
  return v === MISSING ? undefined : v;
}

function walk(steps: readonly PathStep[], i: number, node: unknown): unknown {
  if (i === steps.length) return node;
  const step = steps[i]!;
  if ('wildcard' in step) {
    if (node === null || typeof node !== 'object') return MISSING;
    const children = Array.isArray(node) ? node : Object.values(node);
    const out = children.map((c) => walk(steps, i + 1, c)).filter((c) => c !== MISSING);
    return out;
  }
  if ('index' in step) return Array.isArray(node) && step.index < node.length ? walk(steps, i + 1, node[step.index]) : MISSING;
  if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step.key)) return MISSING;
  return walk(steps, i + 1, (node as Record<string, unknown>)[step.key]);
}
