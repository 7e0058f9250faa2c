/** One key and its value: a tag, an environment variable. */
export interface KeyValue {
  key: string;
  value: string;
}

/**
 * Editable key/value rows with add and remove (rule tags, a function's environment variables).
 * Inputs are labelled "<noun> N key/value" so keyboard and screen-reader users know which row
 * they are in; `problem` shows a key's error under its row.
 */
export function KeyValueRows({
  rows,
  onChange,
  noun,
  addLabel,
  valueHint = 'Value – optional',
  problem,
}: {
  rows: readonly KeyValue[];
  onChange: (rows: KeyValue[]) => void;
  noun: string;
  addLabel: string;
  valueHint?: string;
  problem?: (key: string) => string | null;
}) {
  const update = (i: number, patch: Partial<KeyValue>) => onChange(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)));
  return (
    <>
      {rows.map((r, i) => {
        const error = problem?.(r.key) ?? null;
        return (
          <div key={i}>
            <div class="toolbar">
              <input
                aria-label={`${noun} ${i + 1} key`}
                placeholder="Key"
                value={r.key}
                aria-invalid={Boolean(error)}
                onInput={(e) => update(i, { key: (e.target as HTMLInputElement).value })}
              />
              <input
                aria-label={`${noun} ${i + 1} value`}
                placeholder={valueHint}
                value={r.value}
                onInput={(e) => update(i, { value: (e.target as HTMLInputElement).value })}
              />
              <button type="button" class="danger" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
            {error && <p class="error">{error}</p>}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        {addLabel}
      </button>
    </>
  );
}
