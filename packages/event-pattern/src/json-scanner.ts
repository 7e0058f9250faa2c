/**
 * JSON text → leaves, in one pass and without building objects. Members on paths no pattern
 * uses are skipped — their syntax still checked — and their names are never even turned into
 * strings when the sink can compare spans. Strings are delimited with native `indexOf`; the next
 * backslash and the next control character are found once and remembered, so the whole scan
 * stays linear. Numbers keep their exact text, which event-ruler's text matching needs.
 */
import { EventSyntaxError, extend, MAX_EVENT_DEPTH, tooDeep, type LeafSink } from './event-reader.js';
import { LeafKind, type ArrayTrail } from './leaf.js';

const CONTROL = /[\u0000-\u001f]/g;

/** Scans one JSON object; throws EventSyntaxError when the text is not exactly one JSON object. */
export function readEventText<N>(text: string, root: N, sink: LeafSink<N>): void {
  const s = new Scanner(text, sink);
  s.skipWs();
  if (text.charCodeAt(s.pos) !== 0x7b) s.error('Event must be a JSON object');
  s.object(root, null);
  s.skipWs();
  if (s.pos !== text.length) s.error('Unexpected text after the event');
}

class Scanner<N> {
  pos = 0;
  private arrays = 0;
  private depth = 0;
  /** Position of the next backslash at or after where it was last searched from. */
  private nextBackslash = -1;
  /** Position of the next control character (U+0000–U+001F), likewise. */
  private nextControl = -1;
  /** Set by `stringEnd`: whether the string just delimited contains escapes. */
  private escaped = false;

  constructor(
    private readonly text: string,
    private readonly sink: LeafSink<N>,
  ) {}

  error(message: string): never {
    throw new EventSyntaxError(`${message} at position ${this.pos}`);
  }

  skipWs(): void {
    const t = this.text;
    let p = this.pos;
    let c = t.charCodeAt(p);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++p);
    this.pos = p;
  }

  /** At `{`: reads the object, sending wanted members to the sink. */
  object(node: N | null, trail: ArrayTrail | null): void {
    const t = this.text;
    if (++this.depth > MAX_EVENT_DEPTH) throw tooDeep();
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.depth--;
      return;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) this.error('Expected a member name');
      const start = this.pos + 1;
      const end = this.stringEnd(start);
      this.pos = end + 1;
      let child: N | null = null;
      if (node !== null) {
        const sink = this.sink;
        if (!this.escaped && sink.childAt !== undefined) child = sink.childAt(node, t, start, end);
        else child = sink.child(node, this.decode(start, end));
      }
      // Compact JSON (what clients send) has no white space: test for it before skipping any.
      if (t.charCodeAt(this.pos) !== 0x3a) {
        this.skipWs();
        if (t.charCodeAt(this.pos) !== 0x3a) this.error("Expected ':'");
      }
      this.pos++;
      if (t.charCodeAt(this.pos) <= 0x20) this.skipWs();
      this.value(child, trail);
      let c = t.charCodeAt(this.pos++);
      if (c <= 0x20) {
        this.pos--;
        this.skipWs();
        c = t.charCodeAt(this.pos++);
      }
      if (c === 0x7d) {
        this.depth--;
        return;
      }
      if (c !== 0x2c) {
        this.pos--;
        this.error("Expected ',' or '}'");
      }
      if (t.charCodeAt(this.pos) <= 0x20) this.skipWs();
    }
  }

  private array(node: N | null, trail: ArrayTrail | null): void {
    const t = this.text;
    const id = this.arrays++;
    if (++this.depth > MAX_EVENT_DEPTH) throw tooDeep();
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.depth--;
      return;
    }
    for (let i = 0; ; i++) {
      // Only elements that hold members need their index recorded: a scalar element has no
      // sibling fields that a match could combine it with.
      const first = t.charCodeAt(this.pos);
      const structured = first === 0x7b || first === 0x5b;
      this.value(node, node !== null && structured ? extend(trail, id, i) : trail);
      this.skipWs();
      const c = t.charCodeAt(this.pos++);
      if (c === 0x5d) {
        this.depth--;
        return;
      }
      if (c !== 0x2c) {
        this.pos--;
        this.error("Expected ',' or ']'");
      }
      this.skipWs();
    }
  }

  /** Reads any value; emits it when `node` is wanted, otherwise only checks and skips it. */
  private value(node: N | null, trail: ArrayTrail | null): void {
    const t = this.text;
    switch (t.charCodeAt(this.pos)) {
      case 0x22: {
        const start = this.pos + 1;
        const end = this.stringEnd(start);
        this.pos = end + 1;
        if (node !== null) this.sink.emit(node, LeafKind.String, this.decode(start, end), trail);
        else if (this.escaped) this.decode(start, end); // still checks the escapes
        return;
      }
      case 0x7b:
        return this.object(node, trail);
      case 0x5b:
        return this.array(node, trail);
      case 0x74:
        this.word('true');
        if (node !== null) this.sink.emit(node, LeafKind.True, 'true', trail);
        return;
      case 0x66:
        this.word('false');
        if (node !== null) this.sink.emit(node, LeafKind.False, 'false', trail);
        return;
      case 0x6e:
        this.word('null');
        if (node !== null) this.sink.emit(node, LeafKind.Null, 'null', trail);
        return;
      default: {
        const start = this.pos;
        this.number();
        // Its comparable form is worked out from this text only if a pattern asks for it.
        if (node !== null) this.sink.emit(node, LeafKind.Number, t.slice(start, this.pos), trail);
      }
    }
  }

  private word(w: string): void {
    if (!this.text.startsWith(w, this.pos)) this.error('Unexpected token');
    this.pos += w.length;
  }

  private number(): void {
    const t = this.text;
    let p = this.pos;
    if (t.charCodeAt(p) === 0x2d) p++;
    const intStart = p;
    while (isDigit(t.charCodeAt(p))) p++;
    if (p === intStart || (t.charCodeAt(intStart) === 0x30 && p - intStart > 1)) {
      this.pos = intStart;
      this.error('Invalid number');
    }
    if (t.charCodeAt(p) === 0x2e) {
      const f = ++p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === f) this.error('Invalid number');
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const sign = t.charCodeAt(p);
      if (sign === 0x2b || sign === 0x2d) p++;
      const x = p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === x) this.error('Invalid number');
    }
    this.pos = p;
  }

  /**
   * The index of the quote closing a string whose content starts at `start`; sets `escaped`.
   * Rejects raw control characters, which JSON does not allow inside strings.
   */
  private stringEnd(start: number): number {
    const t = this.text;
    let q = t.indexOf('"', start);
    if (q < 0) {
      this.pos = t.length;
      this.error('Unterminated string');
    }
    if (this.nextBackslash < start) this.nextBackslash = indexOrEnd(t, '\\', start);
    this.escaped = false;
    while (this.nextBackslash < q) {
      this.escaped = true;
      const b = this.nextBackslash;
      if (b + 1 === q) {
        // The quote found is escaped: the string goes on.
        q = t.indexOf('"', q + 1);
        if (q < 0) {
          this.pos = t.length;
          this.error('Unterminated string');
        }
      }
      this.nextBackslash = indexOrEnd(t, '\\', b + 2);
    }
    if (this.nextControl < start) {
      CONTROL.lastIndex = start;
      const m = CONTROL.exec(t);
      this.nextControl = m ? m.index : t.length;
    }
    if (this.nextControl < q) {
      this.pos = this.nextControl;
      this.error('Control character in string');
    }
    return q;
  }

  /** The string value of [start, end); escapes decoded (and checked) by the platform. */
  private decode(start: number, end: number): string {
    if (!this.escaped) return this.text.slice(start, end);
    try {
      return JSON.parse(this.text.slice(start - 1, end + 1)) as string;
    } catch {
      this.pos = start - 1;
      this.error('Invalid string escape');
    }
  }
}

function indexOrEnd(t: string, ch: string, from: number): number {
  const i = t.indexOf(ch, from);
  return i < 0 ? t.length : i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
