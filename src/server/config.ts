import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';

/**
 * Configuration enters once, here: flags win over environment variables, which win over
 * defaults. The result is frozen; no other module reads process.env.
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
  /** `power`: fsync every commit (synchronous=FULL); `process` survives a killed process. */
  readonly durability: 'process' | 'power';
  /** Event history kept this long (hours) once its deliveries are settled; 0 keeps everything. */
  readonly retentionHours: number;
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
}

export const defaults: Config = Object.freeze({
  host: '127.0.0.1',
  port: 4566,
  dataDir: './.amiwatch',
  inMemory: false,
  credentialsFile: null,
  defaultAccount: '000000000000',
  defaultRegion: 'us-east-1',
  bodyLimit: 1024 * 1024,
  durability: 'process',
  retentionHours: 168,
  smtpUrl: null,
  mailFrom: 'no-reply@sns.amazonaws.com',
  publicUrl: null,
  notifyWebhookUrl: null,
  subscriberCaFile: null,
});

export class ConfigError extends Error {}

export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'credentials-file': { type: 'string' },
      'default-account': { type: 'string' },
      'default-region': { type: 'string' },
      'body-limit': { type: 'string' },
      durability: { type: 'string' },
      'retention-hours': { type: 'string' },
      'smtp-url': { type: 'string' },
      'mail-from': { type: 'string' },
      'public-url': { type: 'string' },
      'notify-webhook-url': { type: 'string' },
      'subscriber-ca-file': { type: 'string' },
    },
  });
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? env[`AMIWATCH_${name}`];
  const port = Number(pick(values.port, 'PORT') ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0..65535, got ${values.port ?? env.AMIWATCH_PORT}`);
  const account = pick(values['default-account'], 'DEFAULT_ACCOUNT') ?? defaults.defaultAccount;
  if (!/^\d{12}$/.test(account)) throw new ConfigError(`--default-account must be 12 digits, got ${account}`);
  const bodyLimit = Number(pick(values['body-limit'], 'BODY_LIMIT') ?? defaults.bodyLimit);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('--body-limit must be an integer >= 1024');
  const durability = pick(values.durability, 'DURABILITY') ?? defaults.durability;
  if (durability !== 'process' && durability !== 'power') throw new ConfigError('--durability must be process or power');
  const retentionHours = Number(pick(values['retention-hours'], 'RETENTION_HOURS') ?? defaults.retentionHours);
  if (!Number.isFinite(retentionHours) || retentionHours < 0) throw new ConfigError('--retention-hours must be a number >= 0');
  const url = (flag: string | undefined, name: string, what: string): string | null => {
    const v = pick(flag, name);
    if (v === undefined || v === '') return null;
    try {
      new URL(v);
    } catch {
      throw new ConfigError(`${what} must be a URL, got ${v}`);
    }
    return v.replace(/\/+$/, '');
  };
  const inMemoryEnv = env.AMIWATCH_IN_MEMORY;
  const credentials = pick(values['credentials-file'], 'CREDENTIALS_FILE');
  return Object.freeze({
    host: pick(values.host, 'HOST') ?? defaults.host,
    port,
    dataDir: resolve(pick(values['data-dir'], 'DATA_DIR') ?? defaults.dataDir),
    inMemory: values['in-memory'] ?? (inMemoryEnv === '1' || inMemoryEnv === 'true'),
    credentialsFile: credentials ? resolve(credentials) : null,
    defaultAccount: account,
    defaultRegion: pick(values['default-region'], 'DEFAULT_REGION') ?? defaults.defaultRegion,
    bodyLimit,
    durability,
    retentionHours,
    smtpUrl: url(values['smtp-url'], 'SMTP_URL', '--smtp-url'),
    mailFrom: pick(values['mail-from'], 'MAIL_FROM') ?? defaults.mailFrom,
    publicUrl: url(values['public-url'], 'PUBLIC_URL', '--public-url'),
    notifyWebhookUrl: url(values['notify-webhook-url'], 'NOTIFY_WEBHOOK_URL', '--notify-webhook-url'),
    subscriberCaFile: ((f) => (f ? resolve(f) : null))(pick(values['subscriber-ca-file'], 'SUBSCRIBER_CA_FILE')),
  });
}

export const databasePath = (config: Config): string => (config.inMemory ? ':memory:' : join(config.dataDir, 'amiwatch.db'));

/** Loopback addresses: the only ones open without credentials. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
