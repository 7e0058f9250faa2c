/**
 * Numbers as event-ruler compares them ("ComparableNumber"): exact decimals with at most six
 * digits after the point, between -5,000,000,000 and 5,000,000,000 inclusive. Inside that
 * domain a number is represented by its value times 10^6, an integer of at most 5e15, which a
 * JavaScript double holds exactly (2^53 ≈ 9e15) — so comparisons are exact, never rounded.
 * Outside it a number can only be matched by its text.
 */

const SCALE_DIGITS = 6;
const LIMIT = 5_000_000_000 * 1_000_000;

/** Thrown for a pattern number outside the comparable domain; the message is event-ruler's. */
export class NumberDomainError extends Error {}

interface Decimal {
  negative: boolean;
  /** Significant digits without leading or trailing zeros ('' for zero). */
  digits: string;
  /** value = digits × 10^exponent */
  exponent: number;
}

function parseDecimal(text: string): Decimal | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const intPart = m[2]!;
  const frac = m[3] ?? '';
  let digits = (intPart + frac).replace(/^0+/, '');
  let exponent = Number(m[4] ?? '0') - frac.length;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === '') exponent = 0;
  return { negative: m[1] === '-' && digits !== '', digits, exponent };
}

/**
 * The scaled value (× 10^6) of a JSON number's text, or undefined when event-ruler could not
 * compare it numerically (too many decimals, out of range, or not a number).
 */
export function comparableFromText(text: string): number | undefined {
  const d = parseDecimal(text);
  if (!d) return undefined;
  return scaled(d) ?? undefined;
}

/** The same for a JavaScript number (events given as parsed objects). */
export function comparableFromNumber(n: number): number | undefined {
  if (Number.isInteger(n)) return Math.abs(n) <= 5_000_000_000 ? n * 1_000_000 + 0 : undefined;
  if (!Number.isFinite(n)) return undefined;
  return comparableFromText(String(n));
}

function scaled(d: Decimal): number | null {
  if (d.digits === '') return 0;
  if (-d.exponent > SCALE_DIGITS) return null;
  const shift = d.exponent + SCALE_DIGITS;
  if (d.digits.length + shift > 16) return null;
  const value = Number(d.digits + '0'.repeat(shift));
  if (value > LIMIT) return null;
  return d.negative ? -value : value;
}

/**
 * The scaled value of a number written in a pattern's numeric or anything-but expression;
 * throws event-ruler's IllegalArgumentException text when it cannot be compared.
 */
export function comparableForPattern(text: string): number {
  const d = parseDecimal(text);
  if (!d) throw new NumberDomainError(`Not a number: ${text}`);
  if (d.digits !== '' && -d.exponent > SCALE_DIGITS) {
    const plain = bigDecimalString(d);
    throw new NumberDomainError(
      `Only values upto 6 decimals are supported${plain} ${text} ${javaDoubleHex(roundHalfUp6(d))}`,
    );
  }
  const value = scaled(d);
  if (value === null) throw new NumberDomainError('Value must be between -5.0E9 and 5.0E9, inclusive');
  return value;
}

/** Java's BigDecimal.toString of a stripped decimal (scientific form when the exponent is small). */
function bigDecimalString(d: Decimal): string {
  const sign = d.negative ? '-' : '';
  const scale = -d.exponent;
  const adjusted = -scale + (d.digits.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + d.digits;
    const padded = d.digits.padStart(scale + 1, '0');
    return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  const mantissa = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

function roundHalfUp6(d: Decimal): number {
  const v = Number(`${d.negative ? '-' : ''}${d.digits || '0'}e${d.exponent}`);
  const r = Math.round(Math.abs(v) * 1e6) / 1e6;
  return v < 0 ? -r : r;
}

/** Java's Double.toHexString, e.g. 1.5 → "0x1.8p0". */
export function javaDoubleHex(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (a === 0) return `${sign}0x0.0p0`;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const mantissa = ((BigInt(hi & 0xfffff) << 32n) | BigInt(lo)).toString(16).padStart(13, '0').replace(/0+$/, '') || '0';
  if (biased === 0) return `${sign}0x0.${mantissa}p-1022`;
  return `${sign}0x1.${mantissa}p${biased - 1023}`;
}
