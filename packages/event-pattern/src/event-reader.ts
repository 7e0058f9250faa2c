/**
 * Event → leaves. Events arrive as JSON text (the hot path: PutEvents bodies) or as parsed
 * objects. Text is scanned once, without building objects: only members on paths that some
 * pattern uses are decoded, everything else is skipped while its syntax is still checked.
 * Numbers keep their exact text, which event-ruler's text matching needs.
 */
import { comparableFromNumber, comparableFromText } from './comparable-number.js';
import { LeafKind, makeLeaf, type ArrayTrail, type Leaf } from './leaf.js';

/**
 * Where leaves go. `child` returns the node for a member (null to skip it); `emit` receives the
 * leaves of a node. Nodes are opaque to the reader: the interpreter uses path strings, the
 * automaton a tree of the paths its patterns use.
 */
export interface LeafSink<N> {
  child(parent: N, key: string): N | null;
  emit(node: N, leaf: Leaf): void;
}

export class EventSyntaxError extends Error {}

// ---- parsed objects ----

export function readEventObject<N>(event: unknown, root: N, sink: LeafSink<N>): void {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new EventSyntaxError('Event must be a JSON object');
  }
  const counter = { next: 0 };
  walkObject(event as Record<string, unknown>, root, sink, null, counter);
}

function walkObject<N>(obj: Record<string, unknown>, node: N, sink: LeafSink<N>, trail: ArrayTrail | null, counter: { next: number }): void {
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const child = sink.child(node, key);
    if (child !== null) walkValue(obj[key], child, sink, trail, counter);
  }
}

function walkValue<N>(v: unknown, node: N, sink: LeafSink<N>, trail: ArrayTrail | null, counter: { next: number }): void {
  switch (typeof v) {
    case 'string':
      sink.emit(node, makeLeaf(LeafKind.String, v, null, trail));
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new EventSyntaxError('Event numbers must be finite');
      sink.emit(node, makeLeaf(LeafKind.Number, String(v), comparableFromNumber(v) ?? null, trail));
      return;
    case 'boolean':
      sink.emit(node, v ? TRUE(trail) : FALSE(trail));
      return;
    case 'object':
      if (v === null) {
        sink.emit(node, NULL(trail));
      } else if (Array.isArray(v)) {
        const id = counter.next++;
        for (let i = 0; i < v.length; i++) {
          const el: unknown = v[i];
          walkValue(el, node, sink, el !== null && typeof el === 'object' ? extend(trail, id, i) : trail, counter);
        }
      } else {
        walkObject(v as Record<string, unknown>, node, sink, trail, counter);
      }
      return;
    case 'undefined':
      return;
    default:
      throw new EventSyntaxError(`Event values must be JSON values, not ${typeof v}`);
  }
}

const TRUE = (trail: ArrayTrail | null): Leaf => makeLeaf(LeafKind.True, 'true', null, trail);
const FALSE = (trail: ArrayTrail | null): Leaf => makeLeaf(LeafKind.False, 'false', null, trail);
const NULL = (trail: ArrayTrail | null): Leaf => makeLeaf(LeafKind.Null, 'null', null, trail);

function extend(trail: ArrayTrail | null, id: number, index: number): ArrayTrail {
  return trail === null ? [id, index] : [...trail, id, index];
}

// ---- JSON text ----

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

  constructor(private readonly text: string, private readonly sink: LeafSink<N>) {}

  error(message: string): never {
    throw new EventSyntaxError(`${message} at position ${this.pos}`);
  }

  skipWs(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  /** At `{`: reads the object, sending wanted members to the sink. */
  object(node: N | null, trail: ArrayTrail | null): void {
    const t = this.text;
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) this.error('Expected a member name');
      const key = this.string();
      this.skipWs();
      if (t.charCodeAt(this.pos) !== 0x3a) this.error("Expected ':'");
      this.pos++;
      this.skipWs();
      const child = node === null ? null : this.sink.child(node, key);
      this.value(child, trail);
      this.skipWs();
      const c = t.charCodeAt(this.pos++);
      if (c === 0x7d) return;
      if (c !== 0x2c) {
        this.pos--;
        this.error("Expected ',' or '}'");
      }
      this.skipWs();
    }
  }

  private array(node: N | null, trail: ArrayTrail | null): void {
    const t = this.text;
    const id = this.arrays++;
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
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
      if (c === 0x5d) return;
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
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x22: {
        if (node === null) return this.skipString();
        const s = this.string();
        this.sink.emit(node, makeLeaf(LeafKind.String, s, null, trail));
        return;
      }
      case 0x7b:
        return this.object(node, trail);
      case 0x5b:
        return this.array(node, trail);
      case 0x74:
        this.word('true');
        if (node !== null) this.sink.emit(node, TRUE(trail));
        return;
      case 0x66:
        this.word('false');
        if (node !== null) this.sink.emit(node, FALSE(trail));
        return;
      case 0x6e:
        this.word('null');
        if (node !== null) this.sink.emit(node, NULL(trail));
        return;
      default: {
        const start = this.pos;
        this.number();
        if (node !== null) {
          const num = t.slice(start, this.pos);
          this.sink.emit(node, makeLeaf(LeafKind.Number, num, comparableFromText(num) ?? null, trail));
        }
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

  /** At `"`: returns the decoded string and moves past the closing quote. */
  private string(): string {
    const t = this.text;
    const start = this.pos + 1;
    let p = start;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = p;
        this.error(Number.isNaN(c) ? 'Unterminated string' : 'Control character in string');
      }
      p++;
    }
    // Escapes are rare in events: find the end, then let the platform decode the literal.
    this.skipString();
    try {
      return JSON.parse(t.slice(start - 1, this.pos)) as string;
    } catch {
      this.pos = start - 1;
      this.error('Invalid string escape');
    }
  }

  private skipString(): void {
    const t = this.text;
    let p = this.pos + 1;
    for (;;) {
      const q = t.indexOf('"', p);
      if (q < 0) {
        this.pos = t.length;
        this.error('Unterminated string');
      }
      let backslashes = 0;
      for (let k = q - 1; k >= p && t.charCodeAt(k) === 0x5c; k--) backslashes++;
      if (backslashes % 2 === 0) {
        this.pos = q + 1;
        return;
      }
      p = q + 1;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
