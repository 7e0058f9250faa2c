/**
 * A pull reader over pattern text that reproduces what EventBridge's parser (Jackson's streaming
 * parser, driven by event-ruler's JsonRuleCompiler) reports: its token sequence, its error texts
 * and — because AWS returns them verbatim — the `line`/`column` of every error.
 *
 * Jackson's "current location" is the input pointer after the last token it consumed, and it
 * consumes eagerly in two places that show in AWS's messages:
 * - after a field name it also consumes the colon and the start of the value: a whole number or
 *   literal, a `[` or `{`, or only the opening quote of a string;
 * - a string's closing quote is consumed only when its text is read.
 * Recorded examples: `{"int": 42}` → column 11; `{"resources": []}` → column 17;
 * `{"string": "my-value"}` → column 13; `{'bad': 'quotation'}` → column 2.
 */
import { PatternError } from './pattern-error.js';

export type TokenKind =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

const MAX_NESTING = 1000;

const WAS_EXPECTING_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

interface Context {
  readonly type: 'ROOT' | 'OBJECT' | 'ARRAY';
  /** Entries seen so far in this container. */
  count: number;
  /** Where the container started, for "expected close marker" messages (1-based). */
  readonly line: number;
  readonly column: number;
}

export class PatternReader {
  private ptr = 0;
  private line = 1;
  private lineStart = 0;
  private readonly stack: Context[] = [{ type: 'ROOT', count: 0, line: 1, column: 1 }];
  /** A value token already scanned after a field name (Jackson's `_nextToken`). */
  private pending: TokenKind | null = null;
  /** The pending string's body has not been read yet (Jackson's `_tokenIncomplete`). */
  private stringIncomplete = false;
  private text = '';
  private fieldName = '';
  private token: TokenKind | null = null;

  constructor(private readonly source: string) {}

  /** The current token's kind. */
  get current(): TokenKind | null {
    return this.token;
  }

  /** The name of the most recent FIELD_NAME token (Jackson's `getCurrentName`). */
  get currentName(): string {
    return this.fieldName;
  }

  /** The current token's text; reading a string token consumes its closing quote. */
  getText(): string {
    if (this.stringIncomplete) this.finishString();
    return this.text;
  }

  nextToken(): TokenKind | null {
    if (this.pending !== null) {
      this.token = this.pending;
      this.pending = null;
      return this.token;
    }
    if (this.stringIncomplete) this.skipString();
    const ctx = this.stack[this.stack.length - 1]!;
    let c = this.skipWhitespace();
    if (c === -1) return this.endOfInput(ctx);
    if (c === 0x5d /* ] */ || c === 0x7d /* } */) return this.closeToken(ctx, c);
    if (ctx.count > 0 && ctx.type !== 'ROOT') {
      if (c !== 0x2c /* , */) {
        this.ptr++;
        this.unexpected(c, `was expecting comma to separate ${ctx.type === 'OBJECT' ? 'Object' : 'Array'} entries`);
      }
      this.ptr++;
      c = this.skipWhitespace();
      if (c === -1) return this.endOfInput(ctx);
    }
    if (ctx.type === 'OBJECT') return this.fieldNameToken(ctx, c);
    return (this.token = this.valueToken(c));
  }

  /** Skips the children of the current START_OBJECT / START_ARRAY token. */
  skipChildren(): void {
    if (this.token !== 'START_OBJECT' && this.token !== 'START_ARRAY') return;
    let depth = 1;
    while (depth > 0) {
      const t = this.nextToken();
      if (t === 'START_OBJECT' || t === 'START_ARRAY') depth++;
      else if (t === 'END_OBJECT' || t === 'END_ARRAY') depth--;
    }
  }

  /** Throws a PatternError with Jackson's location suffix at the current position. */
  fail(message: string): never {
    throw new PatternError(message + this.location(this.line, this.ptr - this.lineStart + 1));
  }

  /**
   * Runs `read`; a PatternError raised inside is raised again with the location appended once
   * more — what event-ruler's anything-but list readers do by catching Jackson's exception and
   * re-throwing its message, so AWS's texts for errors there carry the suffix twice.
   */
  reraising<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof PatternError) this.fail(e.message);
      throw e;
    }
  }

  // ---- tokens ----

  private fieldNameToken(ctx: Context, c: number): TokenKind {
    if (c !== 0x22 /* " */) {
      this.ptr++;
      this.unexpected(c, 'was expecting double-quote to start field name');
    }
    this.ptr++;
    this.fieldName = this.readStringBody();
    ctx.count++;
    const colon = this.skipWhitespace();
    if (colon !== 0x3a /* : */) {
      if (colon === -1) this.eofError(ctx);
      this.ptr++;
      this.unexpected(colon, 'was expecting a colon to separate field name and value');
    }
    this.ptr++;
    const v = this.skipWhitespace();
    if (v === -1) this.eofError(ctx);
    this.pending = this.valueToken(v);
    return (this.token = 'FIELD_NAME');
  }

  private valueToken(c: number): TokenKind {
    const ctx = this.stack[this.stack.length - 1]!;
    if (ctx.type !== 'OBJECT') ctx.count++;
    switch (c) {
      case 0x22: // "
        this.ptr++;
        this.stringIncomplete = true;
        this.text = '';
        return 'VALUE_STRING';
      case 0x7b: // {
      case 0x5b: // [
        this.ptr++;
        this.text = String.fromCharCode(c);
        // Jackson's StreamReadConstraints (2.15+): 1,000 levels; thrown without a location.
        if (this.stack.length > MAX_NESTING) {
          throw new PatternError(
            `Document nesting depth (${this.stack.length}) exceeds the maximum allowed (${MAX_NESTING}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
          );
        }
        this.stack.push({
          type: c === 0x7b ? 'OBJECT' : 'ARRAY',
          count: 0,
          line: this.line,
          column: this.ptr - this.lineStart,
        });
        return c === 0x7b ? 'START_OBJECT' : 'START_ARRAY';
      case 0x74:
        return this.literal('true', 'VALUE_TRUE');
      case 0x66:
        return this.literal('false', 'VALUE_FALSE');
      case 0x6e:
        return this.literal('null', 'VALUE_NULL');
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (c === 0x5d || c === 0x7d || c === 0x2c || c === 0x3a) {
          this.ptr++;
          this.unexpected(c, `expected a valid value ${WAS_EXPECTING_VALUE}`);
        }
        if (this.source.startsWith('NaN', this.ptr) || this.source.startsWith('Infinity', this.ptr)) {
          const word = this.source.startsWith('NaN', this.ptr) ? 'NaN' : 'Infinity';
          this.ptr += word.length;
          this.fail(`Non-standard token '${word}': enable \`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS\` to allow`);
        }
        if (!isIdentifierPart(c)) {
          this.ptr++;
          this.unexpected(c, `expected a valid value ${WAS_EXPECTING_VALUE}`);
        }
        return this.unrecognizedToken('');
    }
  }

  private literal(word: string, kind: TokenKind): TokenKind {
    const start = this.ptr;
    for (let i = 0; i < word.length; i++) {
      if (this.source.charCodeAt(start + i) !== word.charCodeAt(i)) {
        this.ptr = start + i;
        return this.unrecognizedToken(word.slice(0, i));
      }
    }
    this.ptr = start + word.length;
    const next = this.source.charCodeAt(this.ptr);
    if (isIdentifierPart(next)) return this.unrecognizedToken(word);
    this.text = word;
    return kind;
  }

  /** Jackson's `_reportInvalidToken`: gathers the rest of the word, then reports it. */
  private unrecognizedToken(prefix: string): never {
    let word = prefix;
    while (this.ptr < this.source.length && word.length < 256) {
      const ch = this.source.charCodeAt(this.ptr);
      if (!isIdentifierPart(ch)) break;
      word += this.source[this.ptr];
      this.ptr++;
    }
    this.fail(`Unrecognized token '${word}': was expecting ${WAS_EXPECTING_VALUE}`);
  }

  private number(): TokenKind {
    const s = this.source;
    const start = this.ptr;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    while (isDigit(s.charCodeAt(i))) i++;
    if (i === intStart) {
      if (s.startsWith('Infinity', i)) {
        this.ptr = i + 8;
        this.fail(`Non-standard token '-Infinity': enable \`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS\` to allow`);
      }
      this.numberFollowError(i, 'expected digit (0-9) to follow minus sign, for valid numeric value');
    }
    if (s.charCodeAt(intStart) === 0x30 && i - intStart > 1) {
      this.ptr = intStart + 1;
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    let isFloat = false;
    if (s.charCodeAt(i) === 0x2e) {
      isFloat = true;
      i++;
      const fracStart = i;
      while (isDigit(s.charCodeAt(i))) i++;
      if (i === fracStart) this.numberFollowError(i, 'Decimal point not followed by a digit');
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      isFloat = true;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      const expStart = i;
      while (isDigit(s.charCodeAt(i))) i++;
      if (i === expStart) this.numberFollowError(i, 'Exponent indicator not followed by a digit');
    }
    this.ptr = i;
    this.text = s.slice(start, i);
    return isFloat ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
  }

  /** Jackson reports a bad character inside a number without consuming it, at the one before. */
  private numberFollowError(i: number, what: string): never {
    const c = this.source.charCodeAt(i);
    this.ptr = i;
    if (Number.isNaN(c)) this.fail('Unexpected end-of-input in a Number value');
    throw new PatternError(
      `Unexpected character (${charDesc(c)}) in numeric value: ${what}` + this.location(this.line, i - this.lineStart),
    );
  }

  // ---- strings ----

  private finishString(): void {
    this.text = this.readStringBody();
    this.stringIncomplete = false;
  }

  private skipString(): void {
    this.readStringBody();
    this.stringIncomplete = false;
  }

  /** Reads from after the opening quote to after the closing quote, decoding escapes. */
  private readStringBody(): string {
    const s = this.source;
    let out = '';
    let chunk = this.ptr;
    for (;;) {
      if (this.ptr >= s.length) this.fail(`Unexpected end-of-input: was expecting closing quote for a string value`);
      const c = s.charCodeAt(this.ptr);
      if (c === 0x22) {
        out += s.slice(chunk, this.ptr);
        this.ptr++;
        return out;
      }
      if (c === 0x5c) {
        out += s.slice(chunk, this.ptr);
        this.ptr++;
        out += this.readEscape();
        chunk = this.ptr;
        continue;
      }
      if (c < 0x20) {
        this.ptr++;
        this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`);
      }
      this.ptr++;
    }
  }

  private readEscape(): string {
    const s = this.source;
    if (this.ptr >= s.length) this.fail('Unexpected end-of-input in character escape sequence');
    const c = s.charCodeAt(this.ptr++);
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        let code = 0;
        for (let k = 0; k < 4; k++) {
          if (this.ptr >= s.length) this.fail('Unexpected end-of-input in character escape sequence');
          const h = s.charCodeAt(this.ptr++);
          const d = hexValue(h);
          if (d < 0) this.unexpected(h, 'expected a hex-digit for character escape sequence');
          code = code * 16 + d;
        }
        return String.fromCharCode(code);
      }
      default:
        this.fail(`Unrecognized character escape ${charDesc(c)}`);
    }
  }

  // ---- positions and errors ----

  private skipWhitespace(): number {
    const s = this.source;
    while (this.ptr < s.length) {
      const c = s.charCodeAt(this.ptr);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.ptr++;
      } else if (c === 0x0a) {
        this.ptr++;
        this.line++;
        this.lineStart = this.ptr;
      } else if (c === 0x2f) {
        this.ptr++;
        this.unexpected(c, "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
      } else {
        return c;
      }
    }
    return -1;
  }

  private closeToken(ctx: Context, c: number): TokenKind {
    this.ptr++;
    if (ctx.type === 'ROOT') this.unexpected(c, 'expected a value');
    const wanted = ctx.type === 'ARRAY' ? 0x5d : 0x7d;
    if (c !== wanted) {
      const kind = ctx.type === 'ARRAY' ? 'Array' : 'Object';
      throw new PatternError(
        `Unexpected close marker '${String.fromCharCode(c)}': expected '${String.fromCharCode(wanted)}' (for ${kind} starting at ${this.sourceRef()}; line: ${ctx.line}, column: ${ctx.column}])` +
          this.location(this.line, this.ptr - this.lineStart),
      );
    }
    this.stack.pop();
    this.text = String.fromCharCode(c);
    return (this.token = c === 0x5d ? 'END_ARRAY' : 'END_OBJECT');
  }

  private endOfInput(ctx: Context): TokenKind | null {
    if (ctx.type === 'ROOT') return (this.token = null);
    this.eofError(ctx);
  }

  private eofError(ctx: Context): never {
    if (ctx.type === 'ROOT') this.fail('Unexpected end-of-input');
    const marker = ctx.type === 'OBJECT' ? 'Object' : 'Array';
    this.fail(
      `Unexpected end-of-input: expected close marker for ${marker} (start marker at ${this.sourceRef()}; line: ${ctx.line}, column: ${ctx.column}])`,
    );
  }

  /** Jackson reports an unexpected character at the character itself (location minus one). */
  private unexpected(c: number, comment: string): never {
    const column = this.ptr - this.lineStart;
    throw new PatternError(`Unexpected character (${charDesc(c)}): ${comment}` + this.location(this.line, column));
  }

  private sourceRef(): string {
    const max = 500;
    const shown = this.source.length > max ? this.source.slice(0, max) : this.source;
    const truncated = this.source.length > max ? `[truncated ${this.source.length - max} chars]` : '';
    return `[Source: (String)"${shown}"${truncated}`;
  }

  private location(line: number, column: number): string {
    return `\n at ${this.sourceRef()}; line: ${line}, column: ${column}]`;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Java's Character.isJavaIdentifierPart, close enough for the ASCII range Jackson reports. */
function isIdentifierPart(c: number): boolean {
  if (Number.isNaN(c)) return false;
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c > 0x7f;
}

/** Jackson's `_getCharDesc`. */
function charDesc(c: number): string {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `CTRL-CHAR, code ${c}`;
  const ch = String.fromCharCode(c);
  if (c > 255) return `'${ch}' (code ${c} / 0x${c.toString(16)})`;
  return `'${ch}' (code ${c})`;
}
