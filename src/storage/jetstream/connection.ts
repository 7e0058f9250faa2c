import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import { Requests } from './requests.js';

export interface JetStreamOptions {
  /** One URL or several, comma-separated (`nats://h1:4222,nats://h2:4222`): the client fails over between them. */
  readonly url: string;
  /** Copies of every stream and bucket (1 on a single server, 3 on a 3-server cluster). */
  readonly replicas: number;
  /** Prefix of every stream and bucket name, so several amiwatch installations can share a cluster. */
  readonly prefix?: string;
  /** A name for this node in the server's connection list (`amiwatch-<host>-<pid>`). */
  readonly name?: string;
}

/**
 * One NATS connection and its JetStream handles, shared by every JetStream adapter of a node.
 * The client reconnects for ever (a node outlives a restart of the whole cluster); calls made
 * while it is disconnected fail after their timeout, and callers see a storage error.
 */
export class JetStreamConnection {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly kvm: Kvm,
    readonly options: JetStreamOptions,
    /** The hot path's requests and JetStream publishes (requests.ts says why not the client's). */
    readonly requests: Requests = new Requests(nc),
  ) {}

  static async open(options: JetStreamOptions): Promise<JetStreamConnection> {
    const servers = options.url
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const nc = await connect({
      servers,
      name: options.name ?? 'amiwatch',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // A cluster answers a request on any server: no need to stick to the first one listed.
      noRandomize: false,
      // Otherwise every request builds two Error objects up front (for their stack traces):
      // measured at ~14% of a node's CPU under PutEvents load (a --cpu-prof of bench/put-events).
      noAsyncTraces: true,
    });
    try {
      const jsm = await waitForJetStream(nc);
      const js = jetstream(nc, { timeout: 10_000 });
      return new JetStreamConnection(nc, js, jsm, new Kvm(js), options);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /** `amiwatch_<name>` (or the configured prefix): stream and bucket names. */
  name(base: string): string {
    return `${this.options.prefix ?? 'amiwatch'}_${base}`;
  }

  /**
   * Runs a setup step until it succeeds or 60 s pass. A cluster that was just (re)started answers
   * account requests before each stream has elected its leader and recovered its data; until then
   * stream requests time out or answer "unavailable". The same holds for a while after a server
   * of the cluster dies, so reads use it too, with a shorter limit.
   */
  async settled<T>(what: string, step: () => Promise<T>, limitMs = 60_000): Promise<T> {
    const until = Date.now() + limitMs;
    for (;;) {
      try {
        return await step();
      } catch (err) {
        const message = String((err as Error).message);
        const transient =
          /timeout|unavailable|no responders|leader|503|not current|no suitable peers|insufficient resources|jetstream is not enabled/i.test(
            message,
          );
        if (!transient || Date.now() > until) throw new Error(`${what}: ${message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Creates the stream, or updates it to `config` when it exists (idempotent, safe on every node). */
  async ensureStream(config: Partial<StreamConfig> & { name: string; subjects: string[] }): Promise<void> {
    await this.settled(`stream ${config.name}`, () => this.putStream(config));
  }

  private async putStream(config: Partial<StreamConfig> & { name: string; subjects: string[] }): Promise<void> {
    const cfg = { num_replicas: this.options.replicas, ...config };
    try {
      await this.jsm.streams.info(config.name);
      await this.jsm.streams.update(config.name, cfg);
    } catch (err) {
      if (!/not found/i.test(String((err as Error).message))) throw err;
      try {
        await this.jsm.streams.add(cfg);
      } catch (e) {
        // Another node created it in between.
        if (!/already in use|name already/i.test(String((e as Error).message))) throw e;
      }
    }
  }

  async bucket(base: string, opts: Partial<KvOptions> = {}): Promise<KV> {
    return this.settled(`bucket ${this.name(base)}`, () =>
      this.kvm.create(this.name(base), { replicas: this.options.replicas, history: 1, ...opts }),
    );
  }

  /**
   * One stored message's data, or null when the stream does not hold it. Direct gets are answered
   * by any replica, and a replica that is still catching up (a server just restarted) answers "no
   * message" for what it has not received yet; so a miss is confirmed by the stream's leader
   * before it counts. Transient errors (a server gone, no leader yet) are retried for a while, then
   * thrown: never read as "absent".
   */
  storedMessage(stream: string, query: { seq: number } | { last_by_subj: string }): Promise<Uint8Array | null> {
    return this.settled(
      `read ${stream}`,
      async () => {
        const direct = await this.jsm.direct.getMessage(stream, query);
        if (direct) return direct.data;
        const leader = await this.jsm.streams.getMessage(stream, query);
        return leader ? leader.data : null;
      },
      15_000,
    );
  }

  /** The `$JS.API` subject prefix (requests this module sends itself). */
  readonly api = '$JS.API';

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    this.requests.close();
    await this.nc.drain().catch(() => this.nc.close());
  }
}

/**
 * A fresh cluster elects its JetStream meta leader a moment after the servers listen, and a
 * restarted one needs a moment to recover its streams: ask until JetStream answers (30 s).
 */
async function waitForJetStream(nc: NatsConnection): Promise<JetStreamManager> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 5_000 });
      await jsm.getAccountInfo();
      return jsm;
    } catch (err) {
      if (Date.now() > until) throw new Error(`JetStream did not answer within 30 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
