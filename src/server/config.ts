import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { defaultEc2Options, type InstanceTransient } from '../core/ec2/options.js';
import { noOrganizations, parseOrganizations, type Organizations } from '../core/events/organizations.js';
import type { ImageOrigin } from '../storage/ports/ec2-store.js';

/**
 * Configuration enters once, here: flags win over environment variables, which win over
 * defaults. The result is frozen; no other module reads process.env.
 *
 * `configOptions` below is the single description of every setting: `parseConfig` reads flags
 * and variables through it, `amiwatch start --help` prints it, and
 * `scripts/render-config-reference.mjs` renders docs/configuration.md from it (a test fails when
 * the checked-in page differs), so the three cannot drift apart.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** SQLite file location; null with `inMemory`. */
  readonly dataDir: string;
  readonly inMemory: boolean;
  /** JSON file of access keys (see docs/eventbridge.md); null = accept any well-formed SigV4. */
  readonly credentialsFile: string | null;
  readonly defaultAccount: string;
  readonly defaultRegion: string;
  /** Largest request body accepted, bytes. */
  readonly bodyLimit: number;
  /** Request-body bytes held in memory at once, all connections together (http-listener.ts). */
  readonly bodyBudget: number;
  /** Request-body bytes one connection may hold at once (its pipelined requests together). */
  readonly connectionBodyBudget: number;
  /** `power`: fsync every commit (synchronous=FULL); `process` survives a killed process. */
  readonly durability: 'process' | 'power';
  /** Event history kept this long (hours) once its deliveries are settled; 0 keeps everything. */
  readonly retentionHours: number;
  /** How long (ms) an image stays `pending`, per creating operation. */
  readonly amiDurations: Readonly<Record<ImageOrigin, number>>;
  /** How long an instance stays pending, stopping and shutting-down. */
  readonly instanceDurations: Readonly<Record<InstanceTransient, number>>;
  /** How long (ms) a snapshot of CreateSnapshot or CopySnapshot stays pending. */
  readonly snapshotDurationMs: number;
  readonly logLevel: LogLevel;
  readonly logFormat: 'text' | 'json';
  /** SMTP server for SNS email (nodemailer URL, e.g. `smtp://host:587`); null = the built-in mailbox. */
  readonly smtpUrl: string | null;
  /** Sender address of SNS mail (the display name is the topic's DisplayName). */
  readonly mailFrom: string;
  /** Base URL of the links amiwatch puts in messages (confirm, unsubscribe, SigningCertURL); null = the listener's URL. */
  readonly publicUrl: string | null;
  /** Webhook that SNS SMS and mobile push messages are POSTed to; null = recorded in the outbox only. */
  readonly notifyWebhookUrl: string | null;
  /** PEM file of CA certificates trusted for https SNS subscribers, besides Node's roots. */
  readonly subscriberCaFile: string | null;
  /** Account → AWS Organization id, for bus policies conditioned on aws:PrincipalOrgID. */
  readonly organizations: Organizations;
  /**
   * NATS servers of a JetStream cluster (`nats://h1:4222,nats://h2:4222`): the node keeps its
   * state there, beside the other nodes on the same cluster (docs/scale-out.md). null = SQLite.
   */
  readonly natsUrl: string | null;
  /** Copies of every stream and bucket: 1 for a single server, 3 for a 3-server cluster. */
  readonly natsReplicas: number;
  /** How long a node's claim on a delivery lasts (the consumer's ack wait): a dead node's deliveries go to the others after it. */
  readonly natsAckWaitMs: number;
  /** Event history cap in bytes (oldest settled events go first); 0 = no cap besides age. */
  readonly historyMaxBytes: number;
  /**
   * Host names the control API and console answer to (DNS-rebinding guard), beside loopback's and
   * --host's; `*` = any. Empty = the defaults only.
   */
  readonly allowedHosts: readonly string[];
  /** Addresses/CIDR ranges outbound deliveries may reach although private (credentials mode). */
  readonly allowOutbound: readonly string[];
  /** Where Lambda functions run: the strongest available (`auto`), or one named (src/runtime/sandbox.ts). */
  readonly functionSandbox: 'auto' | 'bubblewrap' | 'user' | 'none';
  /** Python interpreter for python3.x functions; null = the newest python3.13/3.12/3.11/python3 on PATH with a current boto3. */
  readonly python: string | null;
  /**
   * EventBridge deliveries to SNS topics and SQS queues need the resource's policy to allow
   * events.amazonaws.com, as on AWS (default); false delivers regardless (amiwatch before 0.2).
   */
  readonly enforceTargetPolicies: boolean;
}

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export const defaults: Config = Object.freeze({
  host: '127.0.0.1',
  port: 4566,
  dataDir: './.amiwatch',
  inMemory: false,
  credentialsFile: null,
  defaultAccount: '000000000000',
  defaultRegion: 'us-east-1',
  // 4 MiB: an SQS message or batch may carry 1 MiB (SendMessage API reference), which awsQuery's
  // percent-encoding or base64 binary attributes can make up to three times larger on the wire.
  bodyLimit: 4 * 1024 * 1024,
  // Room for three of the largest bodies (a Lambda CreateFunction: a 50 MB zip in base64, ~68 MB)
  // at once; beyond it requests are refused as throttled rather than buffered.
  bodyBudget: 256 * 1024 * 1024,
  // One Lambda CreateFunction body plus a few ordinary requests pipelined behind it.
  connectionBodyBudget: 80 * 1024 * 1024,
  durability: 'process',
  retentionHours: 168,
  amiDurations: defaultEc2Options.durations,
  instanceDurations: defaultEc2Options.instanceDurations,
  snapshotDurationMs: defaultEc2Options.snapshotDurationMs,
  logLevel: 'info',
  logFormat: 'text',
  smtpUrl: null,
  mailFrom: 'no-reply@sns.amazonaws.com',
  publicUrl: null,
  notifyWebhookUrl: null,
  subscriberCaFile: null,
  organizations: noOrganizations,
  natsUrl: null,
  natsReplicas: 1,
  natsAckWaitMs: 60_000,
  // 1 GiB: at the probe's 500 events/s history grows ~1.1 GB/h, so age alone (168 h) would let it
  // reach ~185 GB; a gigabyte keeps about an hour of such a burst and weeks of ordinary traffic.
  historyMaxBytes: 1024 * 1024 * 1024,
  allowedHosts: [],
  allowOutbound: [],
  functionSandbox: 'auto',
  python: null,
  enforceTargetPolicies: true,
});

/** One setting: its flag, its environment variable, how it reads, and what it means. */
export interface ConfigOption {
  /** The long flag without `--`. */
  readonly flag: string;
  readonly env: string;
  /** Placeholder of the flag's value in help; absent for a switch (no value). */
  readonly value?: string;
  /** The default, as a user would write it. */
  readonly default: string;
  readonly description: string;
  /** The value may be given as a number too (the embedded server's options: `port: 0`). */
  readonly numeric?: true;
}

const origins = Object.keys(defaultEc2Options.durations) as ImageOrigin[];
const transients = Object.keys(defaultEc2Options.instanceDurations) as InstanceTransient[];

// `as const`: the embedded server's option type (src/embed/options.ts) is derived from this table.
export const configOptionTable = Object.freeze([
  {
    flag: 'host',
    env: 'AMIWATCH_HOST',
    value: 'HOST',
    default: defaults.host,
    description: 'Address to listen on. Anything but loopback needs --credentials-file.',
  },
  {
    flag: 'port',
    env: 'AMIWATCH_PORT',
    value: 'PORT',
    default: String(defaults.port),
    numeric: true,
    description: 'Port of every AWS API, the control API and the console (0 = any free port).',
  },
  {
    flag: 'data-dir',
    env: 'AMIWATCH_DATA_DIR',
    value: 'DIR',
    default: defaults.dataDir,
    description: 'Directory of the SQLite file (amiwatch.db); everything survives restarts.',
  },
  {
    flag: 'in-memory',
    env: 'AMIWATCH_IN_MEMORY',
    default: 'false',
    description: 'Keep nothing on disk (for tests and CI). The variable takes 1 or true.',
  },
  {
    flag: 'credentials-file',
    env: 'AMIWATCH_CREDENTIALS_FILE',
    value: 'FILE',
    default: '(none)',
    description: 'JSON file of access keys: SigV4 signatures are then verified for real. Without it any well-formed signature is accepted.',
  },
  {
    flag: 'default-account',
    env: 'AMIWATCH_DEFAULT_ACCOUNT',
    value: 'ID',
    default: defaults.defaultAccount,
    description: 'Account (12 digits) of requests whose access key is not in the credentials file.',
  },
  {
    flag: 'default-region',
    env: 'AMIWATCH_DEFAULT_REGION',
    value: 'REGION',
    default: defaults.defaultRegion,
    description: 'Region of the control API and the console.',
  },
  {
    flag: 'ami-duration',
    env: 'AMIWATCH_AMI_DURATION',
    value: 'TIME',
    default: origins.map((o) => `${o}=${defaults.amiDurations[o]}ms`).join(','),
    numeric: true,
    description:
      'How long a new image stays pending: one time for every operation (`500ms`, `2s`, `1m`; a bare number is ms) or per operation (`CreateImage=1s,CopyImage=3s`).',
  },
  {
    flag: 'instance-duration',
    env: 'AMIWATCH_INSTANCE_DURATION',
    value: 'TIME',
    default: transients.map((t) => `${t}=${defaults.instanceDurations[t]}ms`).join(','),
    numeric: true,
    description:
      'How long an instance stays in a passing state: one time for all or per state (`pending=1s,stopping=2s,shutting-down=1s`).',
  },
  {
    flag: 'snapshot-duration',
    env: 'AMIWATCH_SNAPSHOT_DURATION',
    value: 'TIME',
    default: `${defaults.snapshotDurationMs}ms`,
    numeric: true,
    description: "How long a snapshot of CreateSnapshot or CopySnapshot stays pending (CreateImage's complete with their image).",
  },
  {
    flag: 'smtp-url',
    env: 'AMIWATCH_SMTP_URL',
    value: 'URL',
    default: '(none)',
    description:
      'SMTP server for SNS email subscriptions, as nodemailer takes it (`smtp://user:pass@host:587`, `smtps://…:465`). Without it mail goes to the built-in mailbox (GET /_amiwatch/mailbox).',
  },
  {
    flag: 'mail-from',
    env: 'AMIWATCH_MAIL_FROM',
    value: 'ADDRESS',
    default: defaults.mailFrom,
    description: "Sender address of SNS mail; the sender's name is the topic's DisplayName.",
  },
  {
    flag: 'public-url',
    env: 'AMIWATCH_PUBLIC_URL',
    value: 'URL',
    default: '(the listener)',
    description: 'Base of the links in messages (confirm, unsubscribe, SigningCertURL, queue URLs) when amiwatch sits behind a proxy.',
  },
  {
    flag: 'notify-webhook-url',
    env: 'AMIWATCH_NOTIFY_WEBHOOK_URL',
    value: 'URL',
    default: '(none)',
    description: 'SNS SMS and mobile-push messages are POSTed there as JSON; without it they are only recorded (GET /_amiwatch/outbox).',
  },
  {
    flag: 'subscriber-ca-file',
    env: 'AMIWATCH_SUBSCRIBER_CA_FILE',
    value: 'FILE',
    default: '(none)',
    description: 'PEM of CA certificates trusted for https SNS subscribers, besides Node’s roots.',
  },
  {
    flag: 'organizations',
    env: 'AMIWATCH_ORGANIZATIONS',
    value: 'ORGS',
    default: '(none)',
    description:
      'Which accounts belong to which AWS Organization, for event bus policies that grant by aws:PrincipalOrgID: `o-aaaaaaaaaa=111111111111,222222222222;o-bbbbbbbbbb=333333333333`.',
  },
  {
    flag: 'nats-url',
    env: 'AMIWATCH_NATS_URL',
    value: 'URLS',
    default: '(none: SQLite)',
    description:
      'Keep everything on a NATS JetStream cluster instead of the SQLite file, so several amiwatch nodes serve one amiwatch: `nats://h1:4222,nats://h2:4222,nats://h3:4222` (docs/scale-out.md).',
  },
  {
    flag: 'nats-replicas',
    env: 'AMIWATCH_NATS_REPLICAS',
    value: 'N',
    numeric: true,
    default: '1, or 3 with 3+ URLs',
    description: 'Copies JetStream keeps of every stream and bucket amiwatch creates (1..5; 3 survives the loss of one server of three).',
  },
  {
    flag: 'nats-ack-wait',
    env: 'AMIWATCH_NATS_ACK_WAIT',
    value: 'TIME',
    default: '60s',
    description:
      "With --nats-url: how long a node's claim on a delivery lasts. When a node dies, its in-flight deliveries go to the other nodes after this (`30s`, `2m`).",
  },
  {
    flag: 'python',
    env: 'AMIWATCH_PYTHON',
    value: 'PATH',
    default: '(found on PATH)',
    description:
      'Python interpreter for python3.11/3.12/3.13 functions; it needs boto3 >= 1.28.57 (reads AWS_ENDPOINT_URL). Without it the newest of python3.13, python3.12, python3.11, python3 on PATH that has one is used; the start-up log says which.',
  },
  {
    flag: 'ignore-target-policies',
    env: 'AMIWATCH_IGNORE_TARGET_POLICIES',
    default: 'false',
    description:
      'Deliver EventBridge events to SNS topics and SQS queues whose policy does not allow events.amazonaws.com (AWS refuses them: NO_PERMISSIONS). The variable takes 1 or true.',
  },
  {
    flag: 'log-level',
    env: 'AMIWATCH_LOG_LEVEL',
    value: 'LEVEL',
    default: defaults.logLevel,
    description: `${logLevels.join(', ')}. debug also logs every event and delivery outcome.`,
  },
  {
    flag: 'log-format',
    env: 'AMIWATCH_LOG_FORMAT',
    value: 'FORMAT',
    default: defaults.logFormat,
    description: 'text, or json (one object per line: time, level, msg).',
  },
  {
    flag: 'body-limit',
    env: 'AMIWATCH_BODY_LIMIT',
    value: 'BYTES',
    default: String(defaults.bodyLimit),
    numeric: true,
    description:
      "Largest request body accepted (4 MiB: room for SQS's 1 MiB messages and batches in either protocol). Lambda takes up to its own limits beyond it (a 50 MB zip, 6 MB Invoke payloads).",
  },
  {
    flag: 'body-budget',
    env: 'AMIWATCH_BODY_BUDGET',
    value: 'BYTES',
    default: String(defaults.bodyBudget),
    numeric: true,
    description:
      'Request-body bytes held in memory at once over all connections. A request that would pass it is refused as throttled (503 in its protocol) instead of being read.',
  },
  {
    flag: 'connection-body-budget',
    env: 'AMIWATCH_CONNECTION_BODY_BUDGET',
    value: 'BYTES',
    default: String(defaults.connectionBodyBudget),
    numeric: true,
    description: 'Request-body bytes one connection may hold at once (pipelined requests together); at most --body-budget.',
  },
  {
    flag: 'durability',
    env: 'AMIWATCH_DURABILITY',
    value: 'MODE',
    default: defaults.durability,
    description: 'process: a killed process loses nothing acknowledged; power: also a power cut (fsync per commit, slower).',
  },
  {
    flag: 'retention-hours',
    env: 'AMIWATCH_RETENTION_HOURS',
    value: 'HOURS',
    default: String(defaults.retentionHours),
    numeric: true,
    description: 'Event history kept this long once its deliveries are settled; 0 keeps everything.',
  },
  {
    flag: 'history-max-bytes',
    env: 'AMIWATCH_HISTORY_MAX_BYTES',
    value: 'BYTES',
    default: String(defaults.historyMaxBytes),
    numeric: true,
    description: 'Event history kept within this size too (the oldest settled events go first); 0 = no size cap.',
  },
  {
    flag: 'allowed-hosts',
    env: 'AMIWATCH_ALLOWED_HOSTS',
    value: 'NAMES',
    default: '(loopback names and --host)',
    description:
      'Comma-separated Host names the server answers to besides localhost, 127.0.0.1, [::1] and --host (`*.example.com` for subdomains, `*` for any): other Host headers are refused, which stops DNS rebinding. With --credentials-file any Host is accepted unless this is set.',
  },
  {
    flag: 'function-sandbox',
    env: 'AMIWATCH_FUNCTION_SANDBOX',
    value: 'KIND',
    default: defaults.functionSandbox,
    description:
      'Where Lambda functions run: bubblewrap (own namespaces: they see their code, their /tmp and the network, nothing of the server), user (as amiwatch-fn or nobody, when the server runs as root), none (the server’s user), or auto (the strongest available). With --credentials-file, none means functions do not run.',
  },
  {
    flag: 'allow-outbound',
    env: 'AMIWATCH_ALLOW_OUTBOUND',
    value: 'RANGES',
    default: '(none)',
    description:
      'With --credentials-file, deliveries (SNS HTTP/S subscriptions, webhooks) may not reach loopback, link-local or private addresses; list the addresses or CIDR ranges (`10.0.0.0/8,192.168.1.20`) they may reach after all. amiwatch’s own listener is never a destination.',
  },
] as const satisfies readonly ConfigOption[]);

export const configOptions: readonly ConfigOption[] = configOptionTable;

export class ConfigError extends Error {}

/** Flag values by flag name, as `parseArgs` (or the CLI's parser) produced them. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: Object.fromEntries(configOptions.map((o) => [o.flag, { type: o.value ? 'string' : 'boolean' } as const])),
  });
  return configFromValues(values, env);
}

export function configFromValues(values: FlagValues, env: Readonly<Record<string, string | undefined>>): Config {
  const pick = (flag: string): string | undefined => {
    const option = configOptions.find((o) => o.flag === flag)!;
    const v = values[flag];
    return typeof v === 'string' ? v : env[option.env];
  };
  const port = Number(pick('port') ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0..65535, got ${pick('port')}`);
  const account = pick('default-account') ?? defaults.defaultAccount;
  if (!/^\d{12}$/.test(account)) throw new ConfigError(`--default-account must be 12 digits, got ${account}`);
  const bodyLimit = Number(pick('body-limit') ?? defaults.bodyLimit);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('--body-limit must be an integer >= 1024');
  const bytes = (flag: string, fallback: number): number => {
    const n = Number(pick(flag) ?? fallback);
    if (!Number.isInteger(n) || n < 1024) throw new ConfigError(`--${flag} must be an integer >= 1024`);
    return n;
  };
  const bodyBudget = bytes('body-budget', defaults.bodyBudget);
  const connectionBodyBudget = bytes('connection-body-budget', Math.min(defaults.connectionBodyBudget, bodyBudget));
  if (connectionBodyBudget > bodyBudget) throw new ConfigError('--connection-body-budget must be at most --body-budget');
  const durability = pick('durability') ?? defaults.durability;
  if (durability !== 'process' && durability !== 'power') throw new ConfigError('--durability must be process or power');
  const retentionHours = Number(pick('retention-hours') ?? defaults.retentionHours);
  if (!Number.isFinite(retentionHours) || retentionHours < 0) throw new ConfigError('--retention-hours must be a number >= 0');
  const historyMaxBytes = Number(pick('history-max-bytes') ?? defaults.historyMaxBytes);
  if (!Number.isInteger(historyMaxBytes) || historyMaxBytes < 0) throw new ConfigError('--history-max-bytes must be an integer >= 0');
  const functionSandbox = pick('function-sandbox') ?? defaults.functionSandbox;
  if (!['auto', 'bubblewrap', 'user', 'none'].includes(functionSandbox))
    throw new ConfigError(`--function-sandbox must be auto, bubblewrap, user or none, got ${functionSandbox}`);
  const list = (flag: string): string[] =>
    (pick(flag) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const logLevel = pick('log-level') ?? defaults.logLevel;
  if (!(logLevels as readonly string[]).includes(logLevel))
    throw new ConfigError(`--log-level must be one of ${logLevels.join(', ')}, got ${logLevel}`);
  const logFormat = pick('log-format') ?? defaults.logFormat;
  if (logFormat !== 'text' && logFormat !== 'json') throw new ConfigError(`--log-format must be text or json, got ${logFormat}`);
  const amiDuration = pick('ami-duration');
  const instanceDuration = pick('instance-duration');
  const snapshotDuration = pick('snapshot-duration');
  const url = (flag: string): string | null => {
    const v = pick(flag);
    if (v === undefined || v === '') return null;
    try {
      new URL(v);
    } catch {
      throw new ConfigError(`--${flag} must be a URL, got ${v}`);
    }
    return v.replace(/\/+$/, '');
  };
  const caFile = pick('subscriber-ca-file');
  const inMemoryEnv = env.AMIWATCH_IN_MEMORY;
  const ignorePoliciesEnv = env.AMIWATCH_IGNORE_TARGET_POLICIES;
  const credentials = pick('credentials-file');
  const orgs = pick('organizations');
  let organizations = defaults.organizations;
  try {
    if (orgs) organizations = parseOrganizations(orgs);
  } catch (err) {
    throw new ConfigError(`--organizations: ${(err as Error).message}`);
  }
  const nats = natsSettings(
    pick('nats-url'),
    pick('nats-replicas'),
    values['in-memory'] === true || inMemoryEnv === '1' || inMemoryEnv === 'true',
  );
  const ackWait = pick('nats-ack-wait');
  const natsAckWaitMs = ackWait === undefined ? defaults.natsAckWaitMs : parseDuration(ackWait);
  // The delivery worker gives an attempt half the lease: below 2 s a slow target would lose its claim.
  if (natsAckWaitMs < 2_000) throw new ConfigError(`--nats-ack-wait must be at least 2s, got ${ackWait}`);
  return Object.freeze({
    ...nats,
    natsAckWaitMs,
    host: pick('host') ?? defaults.host,
    port,
    dataDir: resolve(pick('data-dir') ?? defaults.dataDir),
    inMemory: values['in-memory'] === true || inMemoryEnv === '1' || inMemoryEnv === 'true',
    credentialsFile: credentials ? resolve(credentials) : null,
    defaultAccount: account,
    defaultRegion: pick('default-region') ?? defaults.defaultRegion,
    bodyLimit,
    bodyBudget,
    connectionBodyBudget,
    durability,
    retentionHours,
    amiDurations: amiDuration === undefined ? defaults.amiDurations : parseAmiDurations(amiDuration),
    instanceDurations:
      instanceDuration === undefined
        ? defaults.instanceDurations
        : parseDurations('instance-duration', 'STATE', transients, defaults.instanceDurations, instanceDuration),
    snapshotDurationMs: snapshotDuration === undefined ? defaults.snapshotDurationMs : parseDuration(snapshotDuration),
    logLevel: logLevel as LogLevel,
    logFormat,
    smtpUrl: url('smtp-url'),
    mailFrom: pick('mail-from') ?? defaults.mailFrom,
    publicUrl: url('public-url'),
    notifyWebhookUrl: url('notify-webhook-url'),
    subscriberCaFile: caFile ? resolve(caFile) : null,
    organizations,
    historyMaxBytes,
    allowedHosts: Object.freeze(list('allowed-hosts')),
    allowOutbound: Object.freeze(list('allow-outbound')),
    functionSandbox: functionSandbox as Config['functionSandbox'],
    python: pick('python') || null,
    enforceTargetPolicies: !(values['ignore-target-policies'] === true || ignorePoliciesEnv === '1' || ignorePoliciesEnv === 'true'),
  });
}

function natsSettings(
  url: string | undefined,
  replicas: string | undefined,
  inMemory: boolean,
): { natsUrl: string | null; natsReplicas: number } {
  if (url === undefined || url.trim() === '') {
    if (replicas !== undefined) throw new ConfigError('--nats-replicas needs --nats-url');
    return { natsUrl: null, natsReplicas: defaults.natsReplicas };
  }
  if (inMemory) throw new ConfigError('--nats-url and --in-memory exclude each other: the cluster keeps the state');
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of servers) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(s);
    } catch {
      parsed = null;
    }
    if (!parsed || !['nats:', 'tls:'].includes(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(`--nats-url: expected nats://host:port (comma-separated for several servers), got ${s}`);
    }
  }
  const n = replicas === undefined ? (servers.length >= 3 ? 3 : 1) : Number(replicas);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new ConfigError(`--nats-replicas must be 1..5, got ${replicas}`);
  return { natsUrl: servers.join(','), natsReplicas: n };
}

/** `2s` for every operation, or `CreateImage=1s,CopyImage=3s` (the others keep their defaults). */
export function parseAmiDurations(text: string): Readonly<Record<ImageOrigin, number>> {
  return parseDurations('ami-duration', 'OPERATION', origins, defaults.amiDurations, text);
}

/** One time for every name, or `NAME=TIME` pairs (the names not given keep their defaults). */
function parseDurations<K extends string>(
  flag: string,
  what: string,
  names: readonly K[],
  base: Readonly<Record<K, number>>,
  text: string,
): Readonly<Record<K, number>> {
  const durations: Record<K, number> = { ...base };
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 1 && !parts[0]!.includes('=')) {
    const ms = parseDuration(parts[0]!);
    for (const o of names) durations[o] = ms;
    return Object.freeze(durations);
  }
  for (const part of parts) {
    const [name, time] = part.split('=');
    if (!names.includes(name as K) || time === undefined) {
      throw new ConfigError(`--${flag}: expected a time or ${what}=TIME pairs with ${what} one of ${names.join(', ')}, got ${part}`);
    }
    durations[name as K] = parseDuration(time);
  }
  return Object.freeze(durations);
}

/** `250`, `250ms`, `2s`, `1.5m` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new ConfigError(`not a duration: ${text} (write 500ms, 2s or 1m)`);
  const scale = m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1;
  return Math.round(Number(m[1]) * scale);
}

export const databasePath = (config: Config): string => (config.inMemory ? ':memory:' : join(config.dataDir, 'amiwatch.db'));

/** Loopback addresses: the only ones open without credentials. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
