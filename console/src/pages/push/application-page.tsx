import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { useSession } from '../../api/session.js';
import { sns } from '../../api/sns.js';
import { applicationAttributes, applicationParts, attributeParams, listEndpoints, type PushResource } from '../../api/sns-push.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../../components/ui.js';
import { useAction } from '../../components/use-action.js';
import { usePaged } from '../../components/use-paged.js';
import { DetailHeader } from '../details/detail-header.js';

/**
 * One platform application: its attributes (the credentials are never returned by SNS), its
 * endpoints — create one for a device token, enable or disable it, delete it — and a direct
 * publish to an endpoint (Publish with TargetArn), which lands in the outbox.
 */
export function ApplicationPage({ arn }: { arn: string }) {
  const { region } = useSession();
  const { name, platform } = applicationParts(arn);
  const [attributes, setAttributes] = useState<Record<string, string> | null>(null);
  const [notice, setNotice] = useState('');
  const [token, setToken] = useState('');
  const [userData, setUserData] = useState('');
  const endpoints = usePaged((t) => listEndpoints(arn, t), [arn, region], { service: 'sns', kinds: ['platform-endpoint'] });
  const action = useAction(endpoints.reload);
  const { error, setError } = action;
  const load = useCallback(
    () =>
      applicationAttributes(arn).then(
        (a) => (setAttributes(a), setError(null)),
        (e: unknown) => setError(e),
      ),
    [arn, region],
  );
  useEffect(() => void load(), [load]);
  useChanges('sns', ['platform-application'], load, arn);
  const run = (operation: string, params: Record<string, string>, done = ''): Promise<boolean> => {
    setNotice('');
    return action.run(async () => {
      await sns(operation, params);
      setNotice(done);
    });
  };
  const createEndpoint = () =>
    run(
      'CreatePlatformEndpoint',
      { PlatformApplicationArn: arn, Token: token, ...(userData && { CustomUserData: userData }) },
      'Endpoint created.',
    ).then((ok) => ok && (setToken(''), setUserData('')));
  return (
    <div>
      <DetailHeader list="Mobile push" listHref="#/push" name={name} />
      <p class="mono hint">{arn}</p>
      <ErrorNotice error={error} />
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {attributes === null && !error && <Loading what="the application" />}
      {attributes && (
        <section class="panel">
          <dl class="kv" data-testid="push-app-attributes">
            <dt>Platform</dt>
            <dd class="mono">{platform}</dd>
            {Object.entries(attributes).map(([k, v]) => [
              <dt key={`${k}-t`}>{k}</dt>,
              <dd key={`${k}-d`} class="wrap">
                {v}
              </dd>,
            ])}
          </dl>
        </section>
      )}
      <h2>Endpoints</h2>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void createEndpoint();
        }}
      >
        <input
          class="grow mono"
          aria-label="Device token"
          placeholder="device token"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <input
          aria-label="User data"
          placeholder="user data (optional)"
          value={userData}
          onInput={(e) => setUserData((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!token}>
          Create application endpoint
        </button>
      </form>
      <ErrorNotice error={endpoints.error} />
      {endpoints.items === null && !endpoints.error && <Loading what="endpoints" />}
      {endpoints.items?.length === 0 && <Empty title="No endpoints" />}
      {(endpoints.items ?? []).map((ep) => (
        <Endpoint key={ep.arn} ep={ep} run={run} />
      ))}
      <Pager page={endpoints.page} hasNext={endpoints.hasNext} onPrev={endpoints.prevPage} onNext={endpoints.nextPage} />
    </div>
  );
}

function Endpoint({
  ep,
  run,
}: {
  ep: PushResource;
  run: (action: string, params: Record<string, string>, done?: string) => Promise<boolean>;
}) {
  const [message, setMessage] = useState('Hello from amiwatch');
  const enabled = ep.attributes.Enabled !== 'false';
  return (
    <section class="panel" data-testid="push-endpoint">
      <div class="toolbar">
        <span class="grow mono wrap">{ep.arn}</span>
        <Badge state={enabled ? 'Enabled' : 'Disabled'} />
        <button
          onClick={() => void run('SetEndpointAttributes', { EndpointArn: ep.arn, ...attributeParams({ Enabled: String(!enabled) }) })}
        >
          {enabled ? 'Disable' : 'Enable'}
        </button>
        <button class="danger" onClick={() => confirm('Delete this endpoint?') && void run('DeleteEndpoint', { EndpointArn: ep.arn })}>
          Delete
        </button>
      </div>
      <dl class="kv">
        <dt>Token</dt>
        <dd class="mono">{ep.attributes.Token}</dd>
        {ep.attributes.CustomUserData && [<dt key="u-t">User data</dt>, <dd key="u-d">{ep.attributes.CustomUserData}</dd>]}
      </dl>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            'Publish',
            { TargetArn: ep.arn, Message: message },
            'Message published to the endpoint: see the outbox on the Mailbox page.',
          );
        }}
      >
        <input
          class="grow"
          aria-label="Message to the endpoint"
          value={message}
          onInput={(e) => setMessage((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={!message}>
          Publish message
        </button>
      </form>
    </section>
  );
}
