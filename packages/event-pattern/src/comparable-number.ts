/**
 * Numbers as event-ruler compares them (ComparableNumber, current version): exact decimals with
 * at most six digits after the point, from -5e11 to 5e11 inclusive. Inside that domain a number
 * is represented by its value times 10^6 shifted by 5e17, written as a fixed-width decimal
 * string: equal numbers get equal strings (300, 300.0 and 3e2 alike) and string order is numeric
 * order, so comparisons are exact — 18 significant digits do not fit a JavaScript double.
 * Outside the domain a number can only be matched by its text.
 */

const DECIMALS = 6;
/** 5e11 × 10^6: the largest magnitude, in millionths. */
const LIMIT = 500_000_000_000_000_000n;
const WIDTH = 19; // digits of 2 × LIMIT

/** A comparable number: a fixed-width decimal string (see above). */
export type Comparable = string;

/** Thrown for a pattern number outside the comparable domain; the message is event-ruler's. */
export class NumberDomainError extends Error {}

interface Decimal {
  negative: boolean;
  /** Significant digits without leading or trailing zeros ('' for zero). */
  digits: string;
  /** value = digits × 10^exponent */
  exponent: number;
}

const NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): Decimal | null {
  const m = NUMBER.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  const all = (m[2]! + frac).replace(/^0+/, '');
  const digits = all.replace(/0+$/, '');
  const exponent = digits === '' ? 0 : Number(m[4] ?? '0') - frac.length + (all.length - digits.length);
  return { negative: m[1] === '-' && digits !== '', digits, exponent };
}

type Outcome = Comparable | 'decimals' | 'range';

function encode(d: Decimal): Outcome {
  if (d.digits === '') return encodeMillionths(0n);
  if (-d.exponent > DECIMALS) return 'decimals';
  const shift = d.exponent + DECIMALS;
  // More digits than the limit has means out of range; checked before building a huge BigInt.
  if (d.digits.length + shift > WIDTH) return 'range';
  const magnitude = BigInt(d.digits) * 10n ** BigInt(shift);
  if (magnitude > LIMIT) return 'range';
  return encodeMillionths(d.negative ? -magnitude : magnitude);
}

function encodeMillionths(v: bigint): Comparable {
  return (v + LIMIT).toString().padStart(WIDTH, '0');
}

/** Integers within the domain, encoded without BigInt: (n + 5e11) is exact in a double. */
function encodeInteger(n: number): Comparable {
  return `${n + 500_000_000_000}000000`.padStart(WIDTH, '0');
}

/** The comparable form of a JSON number's text, or undefined when event-ruler cannot compare it. */
export function comparableFromText(text: string): Comparable | undefined {
  // Fast path for the common integers (ids, counts, sizes): up to 11 digits is inside ±5e11.
  if (isPlainInteger(text)) return encodeInteger(Number(text));
  const d = parseDecimal(text);
  if (!d) return undefined;
  const out = encode(d);
  return out === 'decimals' || out === 'range' ? undefined : out;
}

/** `-?(0|[1-9][0-9]*)` with at most 11 digits, without a regular expression. */
function isPlainInteger(text: string): boolean {
  let i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  const digits = text.length - i;
  if (digits < 1 || digits > 11) return false;
  if (text.charCodeAt(i) === 0x30 && digits > 1) return false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The comparable form of a number in a `numeric` or `anything-but` expression; throws event-ruler's text. */
export function comparableForPattern(text: string): Comparable {
  const d = parseDecimal(text);
  if (!d) throw new NumberDomainError(`Not a number: ${text}`);
  const out = encode(d);
  if (out === 'decimals') throw new NumberDomainError('Only values upto 6 decimals are supported');
  if (out === 'range') throw new NumberDomainError('Value must be between -5.0E11 and 5.0E11, inclusive');
  return out;
}

/** Below every comparable value, and above every one: the open ends of one-sided ranges. */
export const BOTTOM: Comparable = '';
export const TOP: Comparable = '\uffff';
