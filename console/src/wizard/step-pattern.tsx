import { check } from '@amiwatch/event-pattern';
import { useState } from 'preact/hooks';
import { CodeEditor } from '../components/code-editor.js';
import { patternFromForm, services, type FormChoice } from './catalog.js';
import type { Draft } from './draft.js';
import { Sandbox } from './sandbox.js';

/** The engine's verdict in InvalidEventPatternException's words (null: valid). */
export function patternProblem(text: string): string | null {
  if (!text.trim()) return 'Enter an event pattern.';
  return check(text);
}

/** Whether two pattern texts say the same (the JSON compared without its whitespace). */
function samePattern(a: string, b: string): boolean {
  const canonical = (text: string): string => {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text.trim();
    }
  };
  return canonical(a) === canonical(b);
}

/**
 * Step 2, "Build event pattern": event source, then the Event pattern form (Event source: AWS
 * services → EC2 → EC2 AMI State Change, its states, an optional AMI id; or a custom source) —
 * whose template "Edit pattern" opens in the JSON editor — or the Custom pattern (JSON editor),
 * validated as you type; a sandbox below tests it. A schedule rule asks for its
 * expression instead.
 */
export function StepPattern({ draft, set }: { draft: Draft; set: (p: Partial<Draft>) => void }) {
  // "Specific state(s)" chosen with no state checked yet still matches any state (no detail filter).
  const [specific, setSpecific] = useState(draft.form.states.length > 0);
  if (draft.ruleType === 'schedule') {
    return (
      <section class="panel">
        <h2>Define schedule</h2>
        <label class="field">
          <span>Schedule expression</span>
          <input
            aria-label="Schedule expression"
            value={draft.schedule}
            onInput={(e) => set({ schedule: (e.target as HTMLInputElement).value })}
          />
          <span class="hint">rate(5 minutes) or cron(0 12 * * ? *)</span>
        </label>
      </section>
    );
  }
  const setForm = (patch: Partial<FormChoice>, source = draft.eventSource) => {
    const form = { ...draft.form, ...patch };
    set({ form, eventSource: source, pattern: patternFromForm(form, source) });
  };
  const problem = patternProblem(draft.pattern);
  const types = services[draft.form.service] ?? [];
  const type = types.find((t) => t.name === draft.form.type);
  return (
    <>
      <section class="panel">
        <h2>Build event pattern</h2>
        <fieldset>
          <legend>Event source</legend>
          <label class="choice">
            <input type="radio" name="event-source" checked={draft.eventSource === 'aws'} onChange={() => setForm({}, 'aws')} />
            <span>
              AWS events or EventBridge partner events<small>Events sent from AWS services or EventBridge partners.</small>
            </span>
          </label>
          <label class="choice">
            <input type="radio" name="event-source" checked={draft.eventSource === 'custom'} onChange={() => setForm({}, 'custom')} />
            <span>
              Other<small>Custom events, sent with PutEvents by your applications.</small>
            </span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Creation method</legend>
          <label class="choice">
            <input
              type="radio"
              name="pattern-mode"
              checked={draft.patternMode === 'form'}
              onClick={(e) => {
                if (draft.patternMode === 'form') return;
                const fromForm = patternFromForm(draft.form, draft.eventSource);
                // The form rebuilds the pattern from its choices: edits made in the JSON editor would be lost.
                if (
                  !samePattern(draft.pattern, fromForm) &&
                  !confirm(
                    'Switch to the Event pattern form? The pattern you edited in the JSON editor will be replaced by the one the form builds.',
                  )
                ) {
                  e.preventDefault();
                  return;
                }
                set({ patternMode: 'form', pattern: fromForm });
              }}
            />
            <span>
              Event pattern form<small>Build the pattern from a template of AWS event types.</small>
            </span>
          </label>
          <label class="choice">
            <input type="radio" name="pattern-mode" checked={draft.patternMode === 'json'} onChange={() => set({ patternMode: 'json' })} />
            <span>
              Custom pattern (JSON editor)<small>Write the event pattern in JSON.</small>
            </span>
          </label>
        </fieldset>
        {draft.patternMode === 'form' && draft.eventSource === 'aws' && (
          <div>
            <label class="field">
              <span>Event source</span>
              {/* The guide's "For Event source, choose AWS services": the form's templates are AWS services' event types. */}
              <select aria-label="Event source" value="aws-services">
                <option value="aws-services">AWS services</option>
              </select>
            </label>
            <label class="field">
              <span>AWS service</span>
              <select
                aria-label="AWS service"
                value={draft.form.service}
                onChange={(e) =>
                  setForm({
                    service: (e.target as HTMLSelectElement).value,
                    type: services[(e.target as HTMLSelectElement).value]?.[0]?.name ?? '',
                    states: [],
                    id: '',
                  })
                }
              >
                {Object.keys(services).map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>Event type</span>
              <select
                aria-label="Event type"
                value={draft.form.type}
                onChange={(e) => setForm({ type: (e.target as HTMLSelectElement).value, states: [], id: '' })}
              >
                {types.map((t) => (
                  <option key={t.name}>{t.name}</option>
                ))}
              </select>
            </label>
            {type?.states && (
              <fieldset>
                <legend>State</legend>
                {/* As the EventBridge console: Any state, or Specific state(s) (checking a state chooses it). */}
                <label class="choice">
                  <input
                    type="radio"
                    name="state-choice"
                    checked={!specific}
                    onChange={() => (setSpecific(false), setForm({ states: [] }))}
                  />
                  <span>Any state</span>
                </label>
                <label class="choice">
                  <input type="radio" name="state-choice" checked={specific} onChange={() => setSpecific(true)} />
                  <span>Specific state(s)</span>
                </label>
                <div class="states" role="group" aria-label="Specific state(s)">
                  {type.states.values.map((v) => (
                    <label class="choice" key={v}>
                      <input
                        type="checkbox"
                        checked={draft.form.states.includes(v)}
                        onChange={(e) => {
                          const states = (e.target as HTMLInputElement).checked
                            ? [...draft.form.states, v]
                            : draft.form.states.filter((x) => x !== v);
                          if (states.length > 0) setSpecific(true);
                          setForm({ states });
                        }}
                      />
                      <span>{v}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            {type?.idField && (
              <label class="field">
                <span>{type.idField.label}</span>
                <input
                  aria-label={type.idField.label}
                  value={draft.form.id}
                  placeholder={type.idField.placeholder}
                  onInput={(e) => setForm({ id: (e.target as HTMLInputElement).value })}
                />
              </label>
            )}
          </div>
        )}
        {draft.patternMode === 'form' && draft.eventSource === 'custom' && (
          <div>
            <label class="field">
              <span>Source</span>
              <input
                aria-label="Source"
                value={draft.form.customSource}
                placeholder="my.application"
                onInput={(e) => setForm({ customSource: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label class="field">
              <span>Detail type – optional</span>
              <input
                aria-label="Detail type"
                value={draft.form.customDetailType}
                onInput={(e) => setForm({ customDetailType: (e.target as HTMLInputElement).value })}
              />
            </label>
          </div>
        )}
        <h3>Event pattern</h3>
        {draft.patternMode === 'form' && (
          <div class="toolbar">
            <p class="hint grow">The pattern the template builds. To customize it, choose Edit pattern.</p>
            {/* The guide: "To customize the template, choose Edit pattern" — the JSON editor, starting from the template's pattern. */}
            <button type="button" onClick={() => set({ patternMode: 'json' })}>
              Edit pattern
            </button>
          </div>
        )}
        <CodeEditor
          label="Event pattern"
          value={draft.pattern}
          readOnly={draft.patternMode === 'form'}
          invalid={Boolean(problem)}
          onChange={(pattern) => set({ pattern })}
        />
        <p class={problem ? 'error' : 'hint'} role="status" data-testid="pattern-status">
          {problem ? `Event pattern is not valid. Reason: ${problem}` : 'Valid event pattern.'}
        </p>
      </section>
      <Sandbox pattern={draft.pattern} valid={!problem} />
    </>
  );
}
