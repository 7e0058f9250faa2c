import { kinds, newTarget, type Draft, type TargetDraft, type TargetKind } from './draft.js';
import { CreateTargetResource } from './create-target.js';
import type { Choices } from './target-choices.js';

/**
 * Step 3, "Select target(s)": AWS service targets (SNS topic, SQS queue, Lambda function, event
 * bus) by name or ARN — picked from the account's existing ones in this region, and refused when
 * it names one that does not exist, with a way to create it — and under "Additional settings"
 * the input (matched event, constant, InputPath, input transformer), retry policy and
 * dead-letter queue.
 */
export function StepTargets({
  draft,
  set,
  choices,
  missing,
}: {
  draft: Draft;
  set: (p: Partial<Draft>) => void;
  choices: Choices;
  missing: (t: TargetDraft) => string | null;
}) {
  const update = (i: number, patch: Partial<TargetDraft>) =>
    set({ targets: draft.targets.map((t, j) => (i === j ? { ...t, ...patch } : t)) });
  return (
    <section class="panel">
      <h2>Select target(s)</h2>
      <p class="sub">A target is invoked when an event matches the pattern.</p>
      {draft.targets.map((t, i) => (
        <fieldset key={i}>
          <legend>Target {i + 1}</legend>
          {/* The guide's "For Target types, choose AWS service" (the one kind amiwatch offers; an event bus is one of its targets). */}
          <fieldset>
            <legend>Target types</legend>
            <label class="choice">
              <input type="radio" name={`target-type-${i}`} value="aws-service" checked />
              <span>
                AWS service<small>Select an EventBridge-supported service to send events to.</small>
              </span>
            </label>
          </fieldset>
          <label class="field">
            <span>Select a target</span>
            <select
              aria-label="Select a target"
              value={t.kind}
              onChange={(e) => update(i, { kind: (e.target as HTMLSelectElement).value as TargetKind })}
            >
              {Object.entries(kinds).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{kinds[t.kind].noun}</span>
            <input
              aria-label={kinds[t.kind].noun}
              list={`choices-${i}`}
              value={t.resource}
              placeholder={`name or ARN of the ${kinds[t.kind].label}`}
              onInput={(e) => update(i, { resource: (e.target as HTMLInputElement).value })}
            />
            <datalist id={`choices-${i}`}>
              {(choices[t.kind] ?? []).map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            {missing(t) ? (
              <span class="error" data-testid="target-missing">
                {missing(t)} <CreateTargetResource kind={t.kind} name={t.resource.trim()} />
              </span>
            ) : (
              t.resource.trim() &&
              choices[t.kind] && (
                <span class="hint" data-testid="target-exists">
                  ✓ {kinds[t.kind].noun} found.
                </span>
              )
            )}
            {t.kind === 'lambda' && (
              <span class="hint" data-testid="lambda-permission-note">
                EventBridge will be allowed to invoke this function: the rule is added to its resource-based policy.
              </span>
            )}
          </label>
          <details>
            <summary>Additional settings</summary>
            <label class="field">
              <span>Target ID</span>
              <input aria-label="Target ID" value={t.id} onInput={(e) => update(i, { id: (e.target as HTMLInputElement).value })} />
            </label>
            <label class="field">
              <span>Configure target input</span>
              <select
                aria-label="Configure target input"
                value={t.input}
                onChange={(e) => update(i, { input: (e.target as HTMLSelectElement).value as TargetDraft['input'] })}
              >
                <option value="matched">Matched event</option>
                <option value="path">Part of the matched event (InputPath)</option>
                <option value="constant">Constant (JSON text)</option>
                <option value="transformer">Input transformer</option>
              </select>
            </label>
            {t.input === 'constant' && (
              <label class="field">
                <span>Constant</span>
                <textarea rows={3} value={t.constant} onInput={(e) => update(i, { constant: (e.target as HTMLTextAreaElement).value })} />
              </label>
            )}
            {t.input === 'path' && (
              <label class="field">
                <span>InputPath</span>
                <input value={t.path} placeholder="$.detail" onInput={(e) => update(i, { path: (e.target as HTMLInputElement).value })} />
              </label>
            )}
            {t.input === 'transformer' && (
              <>
                <label class="field">
                  <span>Input path</span>
                  <textarea rows={4} value={t.pathsMap} onInput={(e) => update(i, { pathsMap: (e.target as HTMLTextAreaElement).value })} />
                </label>
                <label class="field">
                  <span>Template</span>
                  <textarea rows={3} value={t.template} onInput={(e) => update(i, { template: (e.target as HTMLTextAreaElement).value })} />
                </label>
              </>
            )}
            {t.kind !== 'events' && (
              <div class="grid2">
                <label class="field">
                  <span>Retry attempts (0–185)</span>
                  <input
                    type="number"
                    min={0}
                    max={185}
                    value={t.maxRetries}
                    onInput={(e) => update(i, { maxRetries: (e.target as HTMLInputElement).value })}
                  />
                </label>
                <label class="field">
                  <span>Maximum age of event (s, 60–86400)</span>
                  <input
                    type="number"
                    min={60}
                    max={86400}
                    value={t.maxAgeSeconds}
                    onInput={(e) => update(i, { maxAgeSeconds: (e.target as HTMLInputElement).value })}
                  />
                </label>
              </div>
            )}
            <label class="field">
              <span>Dead-letter queue – optional</span>
              <input
                value={t.dlq}
                placeholder="SQS queue name or ARN"
                onInput={(e) => update(i, { dlq: (e.target as HTMLInputElement).value })}
              />
            </label>
          </details>
          {draft.targets.length > 1 && (
            <button type="button" class="danger" onClick={() => set({ targets: draft.targets.filter((_, j) => j !== i) })}>
              Remove target
            </button>
          )}
        </fieldset>
      ))}
      {draft.targets.length < 5 && (
        <button type="button" onClick={() => set({ targets: [...draft.targets, newTarget(draft.targets.length + 1)] })}>
          Add another target
        </button>
      )}
    </section>
  );
}
