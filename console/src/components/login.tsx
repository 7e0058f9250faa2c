import { useState } from 'preact/hooks';
import { updateSession } from '../api/session.js';

/**
 * Shown when the server verifies signatures (it was started with a credentials file): the
 * console signs every call with this key. It is kept in sessionStorage (this tab only) and never
 * sent: only signatures computed from it are.
 */
export function Login() {
  const [id, setId] = useState('');
  const [secret, setSecret] = useState('');
  return (
    <main>
      <form
        class="panel"
        style="max-width:480px;margin:40px auto"
        onSubmit={(e) => {
          e.preventDefault();
          updateSession({ key: { accessKeyId: id.trim(), secretAccessKey: secret } });
        }}
      >
        <h1>Sign in</h1>
        <p class="sub">This amiwatch verifies request signatures. Enter an access key from its credentials file.</p>
        <label class="field">
          <span>Access key ID</span>
          <input value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} required autoComplete="username" />
        </label>
        <label class="field">
          <span>Secret access key</span>
          <input type="password" value={secret} onInput={(e) => setSecret((e.target as HTMLInputElement).value)} required autoComplete="current-password" />
        </label>
        <button class="primary" type="submit">
          Sign in
        </button>
      </form>
    </main>
  );
}
