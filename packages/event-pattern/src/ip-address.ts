/**
 * IP addresses and CIDR blocks as event-ruler reads them: an address is a run of hex digits
 * (8 for IPv4, 32 for IPv6) and a block is the inclusive range from the base address with its
 * host bits cleared to the same address with them set (`10.0.0.77/24` covers 10.0.0.0–255).
 */

export interface IpRange {
  readonly family: 4 | 6;
  /** Uppercase hex digits, 8 or 32 of them. */
  readonly low: string;
  readonly high: string;
}

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Whether the text has the shape event-ruler treats as an IP literal. */
export function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** The address as hex digits, or null when the text is not an IPv4 or IPv6 literal. */
export function ipToHex(text: string): { family: 4 | 6; hex: string } | null {
  if (IPV4_SHAPE.test(text)) return ipv4ToHex(text);
  if (IPV6_SHAPE.test(text)) return ipv6ToHex(text);
  return null;
}

function ipv4ToHex(text: string): { family: 4; hex: string } | null {
  let hex = '';
  for (const part of text.split('.')) {
    if (part.length > 3) return null;
    const n = Number(part);
    if (n > 255) return null;
    hex += n.toString(16).toUpperCase().padStart(2, '0');
  }
  return { family: 4, hex };
}

function ipv6ToHex(text: string): { family: 6; hex: string } | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): string[] | null => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => x.length >= 1 && x.length <= 4) ? g : null;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return { family: 6, hex: all.map((g) => g.toUpperCase().padStart(4, '0')).join('') };
}

/** A single address as a range (how a plain string pattern that is an IP literal matches). */
export function ipLiteralRange(text: string): IpRange | null {
  const ip = ipToHex(text);
  return ip ? { family: ip.family, low: ip.hex, high: ip.hex } : null;
}

/** Parses a `cidr` pattern value; throws event-ruler's message when it is malformed. */
export function cidrRange(text: string): IpRange {
  const parts = text.split('/');
  // Java's String.split drops trailing empty strings: "1.2.3.4/" has one part.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d+$/.test(parts[1]!) || Math.abs(Number(parts[1])) > 2147483647) {
    throw new Error('Malformed CIDR, mask bits must be an integer');
  }
  const bits = Number(parts[1]);
  if (bits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const address = parts[0]!;
  const ip = looksLikeIp(address) ? ipToHex(address) : null;
  if (looksLikeIp(address) && !ip) throw new Error(`Invalid IP address: ${address}`);
  if (!ip) throw new Error(`Nonstandard IP address: ${address}`);
  if (ip.family === 4 && bits > 31) throw new Error('IPv4 mask bits must be < 32');
  if (ip.family === 6 && bits > 127) throw new Error('IPv6 mask bits must be < 128');
  const hostBits = (ip.family === 4 ? 32 : 128) - bits;
  return { family: ip.family, low: withHostBits(ip.hex, hostBits, false), high: withHostBits(ip.hex, hostBits, true) };
}

function withHostBits(hex: string, hostBits: number, set: boolean): string {
  const nibbles = hex.split('').map((c) => parseInt(c, 16));
  for (let i = nibbles.length - 1; i >= 0 && hostBits > 0; i--) {
    const mask = (1 << Math.min(4, hostBits)) - 1;
    nibbles[i] = set ? nibbles[i]! | mask : nibbles[i]! & ~mask;
    hostBits -= 4;
  }
  return nibbles.map((n) => n.toString(16).toUpperCase()).join('');
}

/** Whether an event string is an address inside the range (same family only: see PATTERNS.md). */
export function ipInRange(range: IpRange, hex: string, family: 4 | 6): boolean {
  return family === range.family && hex >= range.low && hex <= range.high;
}
