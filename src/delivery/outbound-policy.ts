import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * THE place that decides where amiwatch may send (SNS HTTP/S subscriptions, the notify webhook;
 * EventBridge API destinations and webhooks go through it too): a subscriber URL comes from
 * whoever holds a key, and without a rule it turns amiwatch into a proxy into the network it
 * sits in (SSRF) or a port scanner.
 *  - Never amiwatch's own listener (its port on any of this machine's addresses, or --public-url):
 *    a subscriber cannot make amiwatch call its own control API.
 *  - In credentials mode (keys of several parties), not loopback, link-local (cloud metadata at
 *    169.254.169.254), private, shared (CGNAT), multicast or reserved ranges, unless
 *    --allow-outbound names them.
 * The address is checked where the connection is made (`lookup` for node:http(s)), after DNS:
 * a name that resolves to a public address when subscribed and to 127.0.0.1 when delivered
 * (DNS rebinding) is refused then.
 */
export interface OutboundPolicyOptions {
  /** Refuse non-public destinations (credentials mode). */
  readonly restrictPrivate: boolean;
  /** Addresses and CIDR ranges allowed although non-public (--allow-outbound). */
  readonly allow: readonly string[];
  /** The port amiwatch listens on (known once it does). */
  readonly ownPort: () => number | undefined;
  /** --public-url, if any: a proxy in front of amiwatch is amiwatch too. */
  readonly publicUrl?: string | null;
}

/** What a refused delivery records: the same words whatever the reason, so they tell nothing about the target. */
export const REFUSED = 'the endpoint is not a destination amiwatch may deliver to';

const NON_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const NON_PUBLIC_V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8', '2001:db8::/32', '100::/64'];

function blockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [address, bits] = c.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!address || isIP(address) === 0) throw new Error(`not an address or CIDR range: ${c}`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** `::ffff:10.0.0.1` and NAT64 `64:ff9b::a00:1` are IPv4 addresses underneath: judged as such. */
function unwrap(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const a = parseInt(hex[1]!, 16);
    const b = parseInt(hex[2]!, 16);
    return { address: `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`, family: 'ipv4' };
  }
  return { address: lower, family: isIP(lower) === 6 ? 'ipv6' : 'ipv4' };
}

export class OutboundPolicy {
  private readonly nonPublic = blockList([...NON_PUBLIC_V4, ...NON_PUBLIC_V6]);
  private readonly loopback = blockList(['127.0.0.0/8', '::1/128']);
  private readonly allowed: BlockList;

  /** Throws on a malformed --allow-outbound entry (the server reports it at start). */
  constructor(private readonly o: OutboundPolicyOptions) {
    this.allowed = blockList(o.allow);
  }

  /** Credentials mode: failures are reported without what would tell a closed port from an open one. */
  get discreet(): boolean {
    return this.o.restrictPrivate;
  }

  /** Whether a connection to `address:port` may be made; `address` is an IP. */
  permits(rawAddress: string, port: number): boolean {
    const { address, family } = unwrap(rawAddress);
    if (port === this.o.ownPort() && (this.loopback.check(address, family) || isOwnAddress(address))) return false;
    if (!this.o.restrictPrivate || this.allowed.check(address, family)) return true;
    return !this.nonPublic.check(address, family);
  }

  /** The URL-level check (before any connection): amiwatch's public URL, and literal IPs, which `lookup` never sees. */
  permitsUrl(url: URL): boolean {
    const port = portOf(url);
    if (this.o.publicUrl) {
      const own = new URL(this.o.publicUrl);
      if (own.hostname.toLowerCase() === url.hostname.toLowerCase() && portOf(own) === port) return false;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return isIP(host) === 0 || this.permits(host, port);
  }

  /**
   * A `lookup` for node:http(s) and node:net that resolves as usual and then refuses addresses
   * the policy does not permit (with `port`: the connection's).
   */
  lookupFor(port: number) {
    return (
      hostname: string,
      options: object,
      callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const ok = addresses.filter((a) => this.permits(a.address, port));
        if (ok.length === 0) return callback(Object.assign(new Error(REFUSED), { code: 'EOUTBOUNDREFUSED' }), '', 0);
        if ((options as { all?: boolean }).all) return callback(null, ok);
        callback(null, ok[0]!.address, ok[0]!.family);
      });
    };
  }
}

/** The port a URL connects to, its scheme's default when it names none. */
export const portOf = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function isOwnAddress(address: string): boolean {
  if (address === '0.0.0.0' || address === '::') return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === address));
}
