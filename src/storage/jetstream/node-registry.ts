import type { KV } from '@nats-io/kv';
import type { JetStreamConnection } from './connection.js';

/** How long a node stays listed after its last heartbeat (the bucket's max age). */
const TTL_MS = 15_000;
const BEAT_MS = 5_000;

export interface NodeInfo {
  readonly name: string;
  /** Where the node answers (its HTTP URL), when known. */
  readonly url: string | null;
  readonly startedAt: number;
  readonly seenAt: number;
}

/**
 * The amiwatch nodes of a cluster: each node puts its entry in the `amiwatch_nodes` KV bucket
 * every 5 s; the bucket's max age (15 s) drops the entries of nodes that stopped or died.
 */
export class NodeRegistry {
  private timer: NodeJS.Timeout | null = null;
  private url: string | null = null;
  private readonly startedAt = Date.now();

  private constructor(
    private readonly kv: KV,
    private readonly name: string,
  ) {}

  static async open(c: JetStreamConnection, name: string): Promise<NodeRegistry> {
    const kv = await c.bucket('nodes', { ttl: TTL_MS });
    const r = new NodeRegistry(kv, name);
    // Right after a cluster restart the servers answer before JetStream is ready on all of them.
    await c.settled('node registry', () => r.beat());
    r.timer = setInterval(() => void r.beat().catch(() => undefined), BEAT_MS);
    r.timer.unref();
    return r;
  }

  /** Tells the others where this node answers, once it listens. */
  listening(url: string): void {
    this.url = url;
    void this.beat().catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const info: NodeInfo = { name: this.name, url: this.url, startedAt: this.startedAt, seenAt: Date.now() };
    await this.kv.put(Buffer.from(this.name).toString('base64url'), JSON.stringify(info));
  }

  async list(): Promise<NodeInfo[]> {
    const keys: string[] = [];
    for await (const k of await this.kv.keys()) keys.push(k);
    const entries = await Promise.all(keys.map((k) => this.kv.get(k)));
    return entries
      .filter((e) => e !== null && e.operation === 'PUT')
      .map((e) => e!.json<NodeInfo>())
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.kv.delete(Buffer.from(this.name).toString('base64url')).catch(() => undefined);
  }
}
