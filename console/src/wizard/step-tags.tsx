import type { Draft } from './draft.js';

/** Step 4, "Configure tags" (optional): key/value pairs put on the rule. */
export function StepTags({ draft, set }: { draft: Draft; set: (p: Partial<Draft>) => void }) {
  const update = (i: number, patch: Partial<Draft['tags'][number]>) => set({ tags: draft.tags.map((t, j) => (i === j ? { ...t, ...patch } : t)) });
  return (
    <section class="panel">
      <h2>Configure tags – optional</h2>
      <p class="sub">A tag is a label you assign to a rule: a key and an optional value.</p>
      {draft.tags.length === 0 && <p class="hint">No tags associated with the rule.</p>}
      {draft.tags.map((t, i) => (
        <div class="toolbar" key={i}>
          <input aria-label={`Tag ${i + 1} key`} placeholder="Key" value={t.key} onInput={(e) => update(i, { key: (e.target as HTMLInputElement).value })} />
          <input aria-label={`Tag ${i + 1} value`} placeholder="Value – optional" value={t.value} onInput={(e) => update(i, { value: (e.target as HTMLInputElement).value })} />
          <button type="button" class="danger" onClick={() => set({ tags: draft.tags.filter((_, j) => j !== i) })}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set({ tags: [...draft.tags, { key: '', value: '' }] })}>
        Add new tag
      </button>
    </section>
  );
}
