import { useEffect, useState } from 'preact/hooks';
import { health } from './api/control.js';
import { describeBus } from './api/eventbridge.js';
import { regions, updateSession, useSession } from './api/session.js';
import { ConnectionStatus, ServerDownBanner } from './components/connection.js';
import { Login } from './components/login.js';
import { AmisPage } from './pages/amis-page.js';
import { ApiDestinationsPage } from './pages/api-destinations-page.js';
import { ArchivesPage } from './pages/archives-page.js';
import { BusesPage } from './pages/buses-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { CloudTrailPage } from './pages/lazy-pages.js';
import { detailPage, detailTitle } from './pages/details/detail-routes.js';
import { EventsPage } from './pages/events-page.js';
import { FunctionsPage } from './pages/functions-page.js';
import { InstancesPage } from './pages/instances-page.js';
import { LogGroupsPage } from './pages/lazy-pages.js';
import { MailboxPage } from './pages/mailbox-page.js';
import { QueuesPage } from './pages/queues-page.js';
import { ApplicationsPage } from './pages/lazy-pages.js';
import { RulesPage } from './pages/rules-page.js';
import { SnapshotsPage } from './pages/snapshots-page.js';
import { SnsPage } from './pages/sns-page.js';
import { useRoute } from './router.js';
import { RuleWizard } from './wizard/rule-wizard.js';

/** The pages, in the order of the guide: rules first, then what they act on and what they saw. */
const pages = [
  { id: 'rules', title: 'Rules' },
  { id: 'buses', title: 'Event buses' },
  { id: 'api-destinations', title: 'API destinations' },
  { id: 'archives', title: 'Archives and replays' },
  { id: 'events', title: 'Events' },
  { id: 'amis', title: 'AMIs' },
  { id: 'instances', title: 'Instances' },
  { id: 'snapshots', title: 'Snapshots' },
  { id: 'sns', title: 'SNS topics' },
  { id: 'push', title: 'Mobile push' },
  { id: 'mailbox', title: 'Mailbox' },
  { id: 'functions', title: 'Lambda functions' },
  { id: 'logs', title: 'Log groups' },
  { id: 'queues', title: 'SQS queues' },
  { id: 'dashboard', title: 'Dashboard' },
  { id: 'cloudtrail', title: 'CloudTrail' },
] as const;

/** The tab's title: the page, then the console's name (what a list of tabs or the history shows). */
function titleOf(route: string[]): string {
  if (route[0] === 'rules' && route[1] === 'new') return 'Create rule';
  if (route[0] === 'rules' && route[1] === 'edit') return `Edit rule ${route[3] ?? ''}`;
  return pages.find((p) => p.id === route[0])?.title ?? detailTitle(route) ?? 'No such page';
}

/** The list page each detail page belongs to (its navigation entry is marked). */
const detailSection: Readonly<Record<string, string>> = {
  rule: 'rules',
  ami: 'amis',
  instance: 'instances',
  snapshot: 'snapshots',
  topic: 'sns',
  queue: 'queues',
  function: 'functions',
  bus: 'buses',
  'log-group': 'logs',
  'log-stream': 'logs',
  'push-app': 'push',
};

export function App() {
  const s = useSession();
  const route = useRoute();
  useEffect(() => {
    document.title = `${titleOf(route)} · amiwatch`;
  }, [route.join('/')]);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    health()
      .then((h) => {
        const stored = localStorage.getItem('amiwatch.region');
        updateSession({
          account: h.account ?? s.account,
          region: stored ?? h.region ?? s.region,
          signaturesRequired: h.signaturesRequired ?? false,
        });
        setReady(true);
      })
      .catch((e: unknown) => setError(`Cannot reach amiwatch: ${String(e)}`));
  }, []);
  // With verified signatures the key decides the account, which only the server knows: the
  // default bus's ARN names it (target ARNs built by the wizard depend on it).
  useEffect(() => {
    if (!s.signaturesRequired || !s.key) return;
    describeBus('default').then(
      (bus) => {
        const account = bus.Arn.split(':')[4];
        if (account && account !== s.account) updateSession({ account });
      },
      () => undefined,
    );
  }, [s.signaturesRequired, s.key?.accessKeyId, s.region]);
  const needsLogin = s.signaturesRequired && !s.key;
  if (error) return <p class="notice bad">{error}</p>;
  if (!ready) return <p class="empty">Connecting…</p>;
  return (
    <>
      {/* A button, not a link to #main: the hash is the router's (it would open a page named "main"). */}
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">
          <img src="/favicon.svg" alt="" /> amiwatch
        </span>
        <span class="spacer" />
        {!needsLogin && <ConnectionStatus />}
        {!needsLogin && (
          <span>
            Account <b data-testid="account">{s.account}</b>
          </span>
        )}
        <label>
          Region
          <select value={s.region} onChange={(e) => updateSession({ region: (e.target as HTMLSelectElement).value })} aria-label="Region">
            {[...new Set([s.region, ...regions])].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        {s.key && <button onClick={() => updateSession({ key: null })}>Sign out</button>}
      </header>
      {needsLogin ? (
        <Login />
      ) : (
        <div class="layout">
          <nav class="side" aria-label="Pages">
            {pages.map((p) => (
              <a
                key={p.id}
                href={`#/${p.id}`}
                aria-current={route[0] === p.id || detailSection[route[0] ?? ''] === p.id ? 'page' : undefined}
              >
                {p.title}
              </a>
            ))}
          </nav>
          <main key={s.region} id="main" tabIndex={-1}>
            <ServerDownBanner />
            {page(route)}
          </main>
        </div>
      )}
    </>
  );
}

function page(route: string[]) {
  switch (route[0]) {
    case 'rules':
      if (route[1] === 'new') return <RuleWizard />;
      if (route[1] === 'edit' && route[2] && route[3]) return <RuleWizard edit={{ bus: route[2], name: route[3] }} />;
      return <RulesPage bus={route[1]} />;
    case 'buses':
      return <BusesPage />;
    case 'api-destinations':
      return <ApiDestinationsPage />;
    case 'archives':
      return <ArchivesPage />;
    case 'events':
      return <EventsPage />;
    case 'amis':
      return <AmisPage />;
    case 'instances':
      return <InstancesPage />;
    case 'snapshots':
      return <SnapshotsPage />;
    case 'sns':
      return <SnsPage />;
    case 'mailbox':
      return <MailboxPage />;
    case 'push':
      return <ApplicationsPage />;
    case 'functions':
      return <FunctionsPage />;
    case 'logs':
      return <LogGroupsPage />;
    case 'queues':
      return <QueuesPage />;
    case 'dashboard':
      return <DashboardPage />;
    case 'cloudtrail':
      return <CloudTrailPage />;
    default:
      return detailPage(route) ?? <p class="empty">No such page. Choose one on the left.</p>;
  }
}
