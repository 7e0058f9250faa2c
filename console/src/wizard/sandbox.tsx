import { matches } from '@amiwatch/event-pattern';
import { useState } from 'preact/hooks';
import { CodeEditor } from '../components/code-editor.js';
import { samples } from './catalog.js';

/**
 * The pattern sandbox: test the pattern against one of the catalog's sample events or a pasted
 * one, with the same engine the server matches with (so the verdict is TestEventPattern's).
 */
export function Sandbox({ pattern, valid }: { pattern: string; valid: boolean }) {
  const [choice, setChoice] = useState(0);
  const [event, setEvent] = useState(JSON.stringify(samples[0]!.event, null, 2));
  const [result, setResult] = useState<string | null>(null);
  const test = () => {
    try {
      setResult(matches(pattern, event) ? 'Sample event matched the event pattern.' : 'Sample event did not match the event pattern.');
    } catch (e) {
      setResult(`Error: ${(e as Error).message}`);
    }
  };
  return (
    <section class="panel">
      <h2>Test the pattern</h2>
      <label class="field">
        <span>Sample event</span>
        <select
          aria-label="Sample event"
          value={choice}
          onChange={(e) => {
            const i = Number((e.target as HTMLSelectElement).value);
            setChoice(i);
            setResult(null);
            if (i < samples.length) setEvent(JSON.stringify(samples[i]!.event, null, 2));
          }}
        >
          {samples.map((s, i) => (
            <option key={s.label} value={i}>
              {s.label}
            </option>
          ))}
          <option value={samples.length}>Enter my own (edit below)</option>
        </select>
      </label>
      <CodeEditor label="Sample event JSON" value={event} onChange={(text) => (setEvent(text), setResult(null))} />
      <div class="toolbar" style="margin-top:8px">
        <button onClick={test} disabled={!valid} type="button">
          Test pattern
        </button>
        {result && (
          <span role="status" data-testid="sandbox-result" class={result.startsWith('Sample event matched') ? 'badge ok' : 'badge off'}>
            {result}
          </span>
        )}
      </div>
    </section>
  );
}
