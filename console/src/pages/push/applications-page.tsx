import { useState } from 'preact/hooks';
import { useSession } from '../../api/session.js';
import { sns } from '../../api/sns.js';
import { applicationParts, attributeParams, listApplications, PLATFORMS } from '../../api/sns-push.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../../components/ui.js';
import { useAction } from '../../components/use-action.js';
import { usePaged } from '../../components/use-paged.js';
import { applicationHref } from './push-routes.js';

/**
 * SNS mobile push: the platform applications of the region (create, enable or disable, delete),
 * each opening its endpoints. amiwatch talks to no push service: what is sent to an endpoint
 * goes to the outbox (the Mailbox page) and the notify webhook.
 */
export function ApplicationsPage() {
  const { region } = useSession();
  const [form, setForm] = useState({ name: '', platform: 'GCM', principal: '', credential: '' });
  const list = usePaged(listApplications, [region], { service: 'sns', kinds: ['platform-application'] });
  const action = useAction(list.reload);
  const error = action.error;
  const run = (operation: string, params: Record<string, string>) => action.run(() => sns(operation, params));
  const create = () =>
    run('CreatePlatformApplication', {
      Name: form.name,
      Platform: form.platform,
      ...attributeParams({
        PlatformCredential: form.credential,
        ...(form.principal && { PlatformPrincipal: form.principal }),
      }),
    }).then((ok) => ok && setForm({ ...form, name: '', principal: '', credential: '' }));
  const field = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  return (
    <div>
      <h1>Mobile push</h1>
      <p class="sub">
        Platform applications (APNs, Firebase, …) and their endpoints, one per device token. A topic delivers to the endpoints subscribed to
        it.
      </p>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input aria-label="Application name" placeholder="application name" value={form.name} onInput={field('name')} />
        <select aria-label="Push platform" value={form.platform} onChange={field('platform')}>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {form.platform !== 'GCM' && (
          <input
            aria-label="Platform principal"
            placeholder="principal (certificate, client id…)"
            value={form.principal}
            onInput={field('principal')}
          />
        )}
        <input
          type="password"
          aria-label="Platform credential"
          placeholder="credential (private key, API key…)"
          value={form.credential}
          onInput={field('credential')}
        />
        <button class="primary" type="submit" disabled={!form.name || !form.credential}>
          Create platform application
        </button>
      </form>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="platform applications" />}
      {list.items?.length === 0 && <Empty title={`No platform applications in ${region}`} />}
      {list.items && list.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Application</th>
                <th>Platform</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => {
                const { platform, name } = applicationParts(a.arn);
                const enabled = a.attributes.Enabled !== 'false';
                return (
                  <tr key={a.arn} data-testid={`push-app-${name}`}>
                    <td>
                      <a href={applicationHref(a.arn)}>{name}</a>
                    </td>
                    <td class="mono">{platform}</td>
                    <td>
                      <Badge state={enabled ? 'Enabled' : 'Disabled'} />
                    </td>
                    <td class="actions">
                      <button
                        onClick={() =>
                          void run('SetPlatformApplicationAttributes', {
                            PlatformApplicationArn: a.arn,
                            ...attributeParams({ Enabled: String(!enabled) }),
                          })
                        }
                      >
                        {enabled ? 'Disable' : 'Enable'}
                      </button>{' '}
                      <button
                        class="danger"
                        onClick={() =>
                          confirm(`Delete platform application ${name} and its endpoints?`) &&
                          void run('DeletePlatformApplication', { PlatformApplicationArn: a.arn })
                        }
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}
