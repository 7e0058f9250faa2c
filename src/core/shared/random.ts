import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Randomness enters the domain only through this port: ids and retry jitter become
 * reproducible in tests by passing a seeded implementation.
 */
export interface Random {
  /** A v4 UUID. */
  uuid(): string;
  /** A float in [0, 1). */
  float(): number;
  /** `n` lowercase hex digits. */
  hex(n: number): string;
}

export const cryptoRandom: Random = {
  uuid: () => randomUUID(),
  float: () => Math.random(),
  hex: (n) =>
    randomBytes(Math.ceil(n / 2))
      .toString('hex')
      .slice(0, n),
};

/** Deterministic Random for tests (mulberry32). */
export function seededRandom(seed = 1): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string => {
    let s = '';
    while (s.length < n) s += Math.floor(next() * 16).toString(16);
    return s;
  };
  return {
    float: next,
    hex,
    uuid: () => {
      const h = hex(32);
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
