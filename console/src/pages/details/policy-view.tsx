/**
 * A resource's policy document, pretty-printed, or what having none means for it. `undefined`:
 * not read yet. A policy that is not JSON (it cannot be, through the APIs) is shown as it is.
 */
export function PolicyView({ policy, none }: { policy: string | null | undefined; none: string }) {
  if (policy === undefined) return null;
  if (policy === null || policy === '')
    return (
      <p class="hint" data-testid="policy-none">
        {none}
      </p>
    );
  let shown = policy;
  try {
    shown = JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    // shown as it is
  }
  return <pre data-testid="policy">{shown}</pre>;
}
