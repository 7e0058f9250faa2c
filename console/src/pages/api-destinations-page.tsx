import { useState } from 'preact/hooks';
import {
  createConnection,
  listApiDestinations,
  listConnections,
  type ApiDestination,
  type AuthType,
  type Connection,
  type ConnectionForm,
} from '../api/api-destinations.js';
import { eventbridge } from '../api/eventbridge.js';
import { Badge, Empty, ErrorNotice } from '../components/ui.js';
import { useChanges } from '../api/changes.js';
import { useReloading } from '../components/use-reloading.js';

const emptyForm = (): ConnectionForm => ({
  name: '',
  type: 'API_KEY',
  username: '',
  password: '',
  keyName: 'x-api-key',
  keyValue: '',
  clientId: '',
  clientSecret: '',
  tokenEndpoint: '',
  tokenMethod: 'POST',
  scope: '',
});

const authLabels: Record<AuthType, string> = {
  BASIC: 'Basic (user name and password)',
  API_KEY: 'API key',
  OAUTH_CLIENT_CREDENTIALS: 'OAuth client credentials',
};

/**
 * Connections (how EventBridge authorizes to an HTTP endpoint) and API destinations (the
 * endpoint, its method and rate limit), as AWS's console has them under "Integration". Secrets
 * are typed once into password fields and never shown again: the server does not return them.
 */
export function ApiDestinationsPage() {
  // An OAuth connection is AUTHORIZING until its first token: look again shortly.
  const { data, error, run, reload } = useReloading(
    async () => {
      const [connections, destinations] = await Promise.all([listConnections(), listApiDestinations()]);
      return { connections, destinations };
    },
    (d) => d.connections.some((c) => c.ConnectionState === 'AUTHORIZING'),
  );
  useChanges('events', ['connection', 'api-destination'], reload);
  const connections = data?.connections ?? null;
  const destinations = data?.destinations ?? null;
  return (
    <div>
      <h1>API destinations</h1>
      <p class="sub">
        Send matched events straight to an HTTP endpoint (a Slack, Teams or PagerDuty webhook) with authentication and a rate limit.
      </p>
      <ErrorNotice error={error} />
      <ConnectionsPanel connections={connections} run={run} />
      <DestinationsPanel connections={connections ?? []} destinations={destinations} run={run} />
    </div>
  );
}

type Run = (op: () => Promise<unknown>) => Promise<boolean>;

function ConnectionsPanel({ connections, run }: { connections: Connection[] | null; run: Run }) {
  const [f, setF] = useState(emptyForm);
  const field = (key: keyof ConnectionForm, label: string, secret = false) => (
    <label class="field">
      <span>{label}</span>
      <input
        aria-label={label}
        type={(secret ? 'password' : 'text') as 'text'}
        autocomplete="off"
        value={f[key]}
        onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <section class="panel">
      <h2>Connections</h2>
      <form onSubmit={(e) => (e.preventDefault(), void run(() => createConnection(f)).then((ok) => ok && setF(emptyForm())))}>
        {field('name', 'Connection name')}
        <label class="field">
          <span>Authorization type</span>
          <select
            aria-label="Authorization type"
            value={f.type}
            onChange={(e) => setF({ ...f, type: (e.target as HTMLSelectElement).value as AuthType })}
          >
            {Object.entries(authLabels).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {f.type === 'BASIC' && (
          <div class="grid2">
            {field('username', 'Username')}
            {field('password', 'Password', true)}
          </div>
        )}
        {f.type === 'API_KEY' && (
          <div class="grid2">
            {field('keyName', 'API key name')}
            {field('keyValue', 'API key value', true)}
          </div>
        )}
        {f.type === 'OAUTH_CLIENT_CREDENTIALS' && (
          <>
            {field('tokenEndpoint', 'Authorization endpoint')}
            <div class="grid2">
              {field('clientId', 'Client ID')}
              {field('clientSecret', 'Client secret', true)}
            </div>
            {field('scope', 'Scope (optional)')}
          </>
        )}
        <button class="primary" type="submit" disabled={!f.name}>
          Create connection
        </button>
      </form>
      {connections?.length === 0 && <Empty title="No connections" />}
      <table>
        <tbody>
          {(connections ?? []).map((c) => (
            <tr key={c.ConnectionArn} data-testid={`connection-${c.Name}`}>
              <td>{c.Name}</td>
              <td>{authLabels[c.AuthorizationType]}</td>
              <td>
                <Badge state={c.ConnectionState} /> {c.StateReason && <small>{c.StateReason}</small>}
              </td>
              <td>
                <button onClick={() => void run(() => eventbridge('DeauthorizeConnection', { Name: c.Name }))}>Deauthorize</button>{' '}
                <button
                  class="danger"
                  onClick={() =>
                    confirm(`Delete connection ${c.Name}?`) && void run(() => eventbridge('DeleteConnection', { Name: c.Name }))
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DestinationsPanel({
  connections,
  destinations,
  run,
}: {
  connections: Connection[];
  destinations: ApiDestination[] | null;
  run: Run;
}) {
  const blank = { name: '', connection: '', endpoint: '', method: 'POST', rate: '300' };
  const [f, setF] = useState(blank);
  const create = () =>
    eventbridge('CreateApiDestination', {
      Name: f.name,
      ConnectionArn: f.connection || connections[0]?.ConnectionArn,
      InvocationEndpoint: f.endpoint,
      HttpMethod: f.method,
      InvocationRateLimitPerSecond: Number(f.rate),
    });
  const input = (key: keyof typeof blank, label: string, type: 'text' | 'number' = 'text') => (
    <label class="field">
      <span>{label}</span>
      <input
        aria-label={label}
        type={type as 'text'}
        value={f[key]}
        onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <section class="panel">
      <h2>API destinations</h2>
      <form onSubmit={(e) => (e.preventDefault(), void run(create).then((ok) => ok && setF(blank)))}>
        {input('name', 'API destination name')}
        {input('endpoint', 'API destination endpoint')}
        <div class="grid2">
          <label class="field">
            <span>HTTP method</span>
            <select
              aria-label="HTTP method"
              value={f.method}
              onChange={(e) => setF({ ...f, method: (e.target as HTMLSelectElement).value })}
            >
              {['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          {input('rate', 'Invocation rate limit per second', 'number')}
        </div>
        <label class="field">
          <span>Connection</span>
          <select
            aria-label="Connection"
            value={f.connection || connections[0]?.ConnectionArn}
            onChange={(e) => setF({ ...f, connection: (e.target as HTMLSelectElement).value })}
          >
            {connections.map((c) => (
              <option key={c.ConnectionArn} value={c.ConnectionArn}>
                {c.Name}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit" disabled={!f.name || !f.endpoint || connections.length === 0}>
          Create API destination
        </button>
      </form>
      {destinations?.length === 0 && <Empty title="No API destinations" />}
      <table>
        <tbody>
          {(destinations ?? []).map((d) => (
            <tr key={d.ApiDestinationArn} data-testid={`api-destination-${d.Name}`}>
              <td>{d.Name}</td>
              <td class="mono">
                {d.HttpMethod} {d.InvocationEndpoint}
              </td>
              <td>{d.InvocationRateLimitPerSecond}/s</td>
              <td>{connections.find((c) => c.ConnectionArn === d.ConnectionArn)?.Name ?? d.ConnectionArn}</td>
              <td>
                <button
                  class="danger"
                  onClick={() =>
                    confirm(`Delete API destination ${d.Name}?`) && void run(() => eventbridge('DeleteApiDestination', { Name: d.Name }))
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
