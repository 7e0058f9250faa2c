import { useState } from 'preact/hooks';
import { updateSession } from '../api/session.js';
import { verifyKey } from '../api/verify-key.js';
import { ErrorNotice } from './ui.js';

/**
 * Shown when the server verifies signatures (it was started with a credentials file): the
 * console signs every call with this key. It is kept in sessionStorage (this tab only) and never
 * sent: only signatures computed from it are. It is accepted only once a call signed with it
 * succeeds (verify-key.ts): a wrong secret is refused here, with AWS's message, not after.
 */
export function Login() {
  const [id, setId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const key = { accessKeyId: id.trim(), secretAccessKey: secret };
    setBusy(true);
    setError(null);
    try {
      const { account } = await verifyKey(key);
      updateSession({ key, account });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <form
        class="panel"
        style="max-width:480px;margin:40px auto"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <h1>Sign in</h1>
        <p class="sub">This amiwatch verifies request signatures. Enter an access key from its credentials file.</p>
        <label class="field">
          <span>Access key ID</span>
          <input
            aria-label="Access key ID"
            value={id}
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
            required
            autoComplete="username"
          />
        </label>
        <label class="field">
          <span>Secret access key</span>
          <input
            aria-label="Secret access key"
            type="password"
            value={secret}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)}
            required
            autoComplete="current-password"
          />
        </label>
        <ErrorNotice error={error} />
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
