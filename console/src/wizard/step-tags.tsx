import { KeyValueRows } from '../components/key-value-rows.js';
import type { Draft } from './draft.js';

/** Step 4, "Configure tags" (optional): key/value pairs put on the rule. */
export function StepTags({ draft, set }: { draft: Draft; set: (p: Partial<Draft>) => void }) {
  return (
    <section class="panel">
      <h2>Configure tags – optional</h2>
      <p class="sub">A tag is a label you assign to a rule: a key and an optional value.</p>
      {draft.tags.length === 0 && <p class="hint">No tags associated with the rule.</p>}
      <KeyValueRows rows={draft.tags} onChange={(tags) => set({ tags })} noun="Tag" addLabel="Add new tag" />
    </section>
  );
}
