import { useEffect, useState } from 'preact/hooks';
import { allBusNames, ruleExists } from '../api/eventbridge.js';
import { useSession } from '../api/session.js';
import { nameProblem, type Draft } from './draft.js';

/**
 * Step 1, "Define rule detail": name (checked as you type: format, then uniqueness on the chosen
 * bus in this region — the guide's "A rule can't have the same name as another rule in the same
 * Region and on the same event bus"), description, event bus, rule type.
 */
export function StepDetail({
  draft,
  set,
  editing,
  onTaken,
}: {
  draft: Draft;
  set: (p: Partial<Draft>) => void;
  editing: boolean;
  onTaken: (taken: boolean) => void;
}) {
  const { region } = useSession();
  const [buses, setBuses] = useState<string[]>(['default']);
  const [taken, setTaken] = useState(false);
  useEffect(() => void allBusNames().then(setBuses, () => undefined), []);
  useEffect(() => {
    if (editing || nameProblem(draft.name)) return setTaken(false);
    let live = true;
    const timer = setTimeout(() => {
      ruleExists(draft.bus, draft.name).then(
        (exists) => live && setTaken(exists),
        // An error: say nothing, PutRule will.
        () => live && setTaken(false),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [draft.name, draft.bus, editing]);
  useEffect(() => onTaken(taken), [taken]);
  const problem = draft.name ? nameProblem(draft.name) : null;
  return (
    <section class="panel">
      <h2>Define rule detail</h2>
      <label class="field">
        <span>Name</span>
        <input
          aria-label="Name"
          value={draft.name}
          disabled={editing}
          maxLength={64}
          onInput={(e) => set({ name: (e.target as HTMLInputElement).value })}
          aria-invalid={Boolean(problem || taken)}
          aria-describedby="name-msg"
        />
        <span id="name-msg" class={problem || taken ? 'error' : 'hint'} aria-live="polite">
          {problem ??
            (taken
              ? `A rule named "${draft.name}" already exists on event bus ${draft.bus} in ${region}.`
              : 'Maximum of 64 characters consisting of numbers, lower/upper case letters, .,-,_.')}
        </span>
      </label>
      <label class="field">
        <span>Description – optional</span>
        <input
          aria-label="Description"
          value={draft.description}
          maxLength={512}
          onInput={(e) => set({ description: (e.target as HTMLInputElement).value })}
        />
      </label>
      <label class="field">
        <span>Event bus</span>
        <select
          aria-label="Event bus"
          value={draft.bus}
          disabled={editing}
          onChange={(e) => set({ bus: (e.target as HTMLSelectElement).value })}
        >
          {buses.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <span class="hint">
          When an AWS service in your account generates an event, it always goes to your account's default event bus.
        </span>
      </label>
      <label class="field inline">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })} />
        <span>Enable the rule on the selected event bus</span>
      </label>
      <fieldset>
        <legend>Rule type</legend>
        <label class="choice">
          <input type="radio" name="rule-type" checked={draft.ruleType === 'pattern'} onChange={() => set({ ruleType: 'pattern' })} />
          <span>
            Rule with an event pattern<small>A rule that runs when an event matches the defined event pattern.</small>
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="rule-type" checked={draft.ruleType === 'schedule'} onChange={() => set({ ruleType: 'schedule' })} />
          <span>
            Schedule<small>A rule that runs on a schedule (rate or cron expression).</small>
          </span>
        </label>
      </fieldset>
    </section>
  );
}
