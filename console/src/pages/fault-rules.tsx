import { useEffect, useState } from 'preact/hooks';
import { addFault, listFaults, removeFault, type FaultRule } from '../api/control.js';
import { ErrorNotice } from '../components/ui.js';

const operations = [
  '*',
  'CreateImage',
  'CopyImage',
  'RegisterImage',
  'CreateRestoreImageTask',
  'DeregisterImage',
  'EnableImage',
  'DisableImage',
];

/**
 * EC2 fault rules (the control API): make matching operations fail, so the `failed` path of a
 * rule can be watched without breaking anything real.
 */
export function FaultRules() {
  const [rules, setRules] = useState<FaultRule[]>([]);
  const [operation, setOperation] = useState('CreateImage');
  const [namePattern, setNamePattern] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = () => listFaults().then((r) => setRules(r.rules), setError);
  useEffect(() => void load(), []);
  const add = async () => {
    try {
      setError(null);
      await addFault({ operation, ...(namePattern && { namePattern }), ...(message && { errorMessage: message }) });
      setNamePattern('');
      setMessage('');
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="panel" style="margin-top:16px">
      <h2>Fault rules</h2>
      <p class="sub">
        An image created by a matching operation goes pending → failed with this message; a matching deregister, enable or disable call
        fails.
      </p>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <select aria-label="Fault operation" value={operation} onChange={(e) => setOperation((e.target as HTMLSelectElement).value)}>
          {operations.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <input
          aria-label="Image name pattern"
          placeholder="image name pattern, e.g. broken-*"
          value={namePattern}
          onInput={(e) => setNamePattern((e.target as HTMLInputElement).value)}
        />
        <input
          aria-label="Error message"
          placeholder="error message"
          required
          value={message}
          onInput={(e) => setMessage((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Add fault rule</button>
      </form>
      <ErrorNotice error={error} />
      {rules.length === 0 ? (
        <p class="hint">No fault rules: every operation succeeds.</p>
      ) : (
        <ul>
          {rules.map((r) => (
            <li key={r.id} data-testid="fault-rule">
              <b>{r.operation}</b> {r.namePattern && <>on names {r.namePattern}</>} → “{r.errorMessage ?? 'failure'}”{' '}
              <button class="danger" onClick={() => void removeFault(r.id).then(load)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
