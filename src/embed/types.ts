/**
 * The embedded server's public shapes (what `import { startAmiwatch } from 'amiwatch'` gives).
 * Self-contained on purpose: a user's type check sees these and the options, not amiwatch's
 * internals.
 */

/** AWS SDK for JavaScript v3 client configuration: `new EC2Client(amiwatch.clientConfig)`. */
export interface AmiwatchClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** An event as EventBridge delivers it to targets. */
export interface AmiwatchEvent<Detail = Record<string, unknown>> {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}

export interface WaitForEventOptions {
  /** The bus, by name or ARN (default: `default`, the bus AMI events go to). */
  readonly bus?: string;
  /** An EventBridge event pattern (object or JSON text): only matching events count. */
  readonly pattern?: object | string;
  /** Only events received at or after this time (default: every event in the history). */
  readonly since?: Date | number;
  /** Give up after this long (default 10,000 ms): the promise rejects, naming what it waited for. */
  readonly timeoutMs?: number;
}

/** A message in the built-in mailbox (SNS email and email-json subscriptions without --smtp-url). */
export interface AmiwatchMail {
  readonly id: string;
  readonly to: string;
  readonly fromName: string;
  readonly fromAddress: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** When it was sent, ms since epoch. */
  readonly at: number;
}

export interface WaitForMailOptions {
  /** Only mail to this address (case-insensitive). */
  readonly to?: string;
  /** Only mail whose subject contains this text, or matches this expression. */
  readonly subject?: string | RegExp;
  readonly since?: Date | number;
  /** Give up after this long (default 10,000 ms). */
  readonly timeoutMs?: number;
}

/** An EC2 fault rule (the same rules as `amiwatch faults add` and /_amiwatch/ec2/faults). */
export interface AmiwatchFaultInput {
  /** CreateImage, CopyImage, RegisterImage, CreateRestoreImageTask, CreateStoreImageTask, DeregisterImage, EnableImage, DisableImage, or `*` (default). */
  readonly operation?: string;
  /** Only images whose name matches (wildcards `*` and `?`). */
  readonly name?: string;
  /** Only requests tagging the image with this key (and `tagValue`, if given). */
  readonly tagKey?: string;
  readonly tagValue?: string;
  /** The failure: the image's StateReason message and the event's ErrorMessage. */
  readonly message: string;
  /** StateReason code / error code (default Server.InternalError). */
  readonly code?: string;
  /** How long the image stays pending before failing (default: the operation's duration). */
  readonly delayMs?: number;
}

export interface AmiwatchFaultRule extends AmiwatchFaultInput {
  readonly id: string;
  readonly operation: string;
}

export interface AmiwatchFaults {
  add(rule: AmiwatchFaultInput): Promise<AmiwatchFaultRule>;
  /** Oldest (winning) first. */
  list(): Promise<AmiwatchFaultRule[]>;
  remove(id: string): Promise<boolean>;
  /** Removes every rule; returns how many there were. */
  clear(): Promise<number>;
}

/** A running amiwatch server in this process. */
export interface Amiwatch extends AsyncDisposable {
  /** Where every AWS API, the control API and the console answer: `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  /**
   * The account the clients act in: `defaultAccount`, or with `credentialsFile` the account of
   * its first key (the key `clientConfig` and `env` sign with).
   */
  readonly account: string;
  readonly clientConfig: AmiwatchClientConfig;
  /**
   * Variables for child processes (the AWS CLI, boto3, your scripts): AWS_ENDPOINT_URL, keys,
   * region. Merge them into `env` of `spawn`.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The first event on the bus that matches (oldest first, from the history), or the next one to
   * arrive. Narrow it with a pattern on what your test created (`detail.ImageId`) or with `since`.
   */
  waitForEvent<Detail = Record<string, unknown>>(options?: WaitForEventOptions): Promise<AmiwatchEvent<Detail>>;
  /** The events on a bus (default `default`), oldest first; optionally those matching a pattern. */
  events<Detail = Record<string, unknown>>(options?: Omit<WaitForEventOptions, 'timeoutMs'>): Promise<AmiwatchEvent<Detail>[]>;
  /** The first mail in the built-in mailbox that matches, or the next to arrive. */
  waitForMail(options?: WaitForMailOptions): Promise<AmiwatchMail>;
  /** EC2 fault injection. */
  readonly faults: AmiwatchFaults;
  /**
   * Completes every pending image (and store-image task) now, as planned (`available`, or
   * `failed` by a fault rule), with its event; resolves with the number of images completed.
   * Every instance in a passing state (pending, stopping, shutting-down) arrives now too, with
   * its state-change event, and every pending snapshot completes with its "EBS Snapshot
   * Notification".
   */
  advance(): Promise<number>;
  /** Stops the server: the port, timers, function processes and temporary files are released. */
  close(): Promise<void>;
}
