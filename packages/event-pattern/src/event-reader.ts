/**
 * Event → leaves. Events arrive as JSON text (the hot path: PutEvents bodies) or as parsed
 * objects. Text is scanned once, without building objects: only members on paths that some
 * pattern uses are decoded, everything else is skipped while its syntax is still checked.
 * Numbers keep their exact text, which event-ruler's text matching needs.
 */
import { LeafKind, type ArrayTrail } from './leaf.js';

/**
 * Where leaves go. `child` returns the node for a member (null to skip it); `emit` receives the
 * leaves of a node. Nodes are opaque to the reader: the interpreter uses path strings, the
 * automaton a tree of the paths its patterns use.
 */
export interface LeafSink<N> {
  child(parent: N, key: string): N | null;
  /**
   * Optional: the same for a member name given as a span of the event text (no escapes in it),
   * so that names of members nobody wants are never turned into strings.
   */
  childAt?(parent: N, text: string, start: number, end: number): N | null;
  /**
   * Receives one leaf: its kind and text (a number's JSON text; `true`, `false`, `null` for
   * literals) and the array elements it sits in. The sink makes the Leaf, so that the Matcher
   * can reuse its leaves instead of allocating them.
   */
  emit(node: N, kind: LeafKind, text: string, trail: ArrayTrail | null): void;
}

/** An event that is not one JSON object (or, given as an object, holds non-JSON values). */
/**
 * How deep an event may nest. Deeper events are refused rather than read recursively into a
 * stack overflow (and a cyclic object, given as an event, ends here too).
 */
export const MAX_EVENT_DEPTH = 1000;

export const tooDeep = (): EventSyntaxError => new EventSyntaxError(`Event nesting is deeper than ${MAX_EVENT_DEPTH} levels`);

export class EventSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSyntaxError';
  }
}

// ---- parsed objects ----

export function readEventObject<N>(event: unknown, root: N, sink: LeafSink<N>): void {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new EventSyntaxError('Event must be a JSON object');
  }
  const counter = { next: 0, depth: 0 };
  walkObject(event as Record<string, unknown>, root, sink, null, counter);
}

interface WalkState {
  next: number;
  depth: number;
}

function walkObject<N>(obj: Record<string, unknown>, node: N, sink: LeafSink<N>, trail: ArrayTrail | null, counter: WalkState): void {
  if (++counter.depth > MAX_EVENT_DEPTH) throw tooDeep();
  for (const key in obj) {
    const child = sink.child(node, key);
    // for-in also lists inherited enumerable names: only members that reach a node need the
    // (costly) ownership test, the others are skipped either way.
    if (child !== null && Object.prototype.hasOwnProperty.call(obj, key)) walkValue(obj[key], child, sink, trail, counter);
  }
  counter.depth--;
}

function walkValue<N>(v: unknown, node: N, sink: LeafSink<N>, trail: ArrayTrail | null, counter: WalkState): void {
  switch (typeof v) {
    case 'string':
      sink.emit(node, LeafKind.String, v, trail);
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new EventSyntaxError('Event numbers must be finite');
      // Its comparable form is worked out from this text only if a pattern asks for it.
      sink.emit(node, LeafKind.Number, String(v), trail);
      return;
    case 'boolean':
      sink.emit(node, v ? LeafKind.True : LeafKind.False, v ? 'true' : 'false', trail);
      return;
    case 'object':
      if (v === null) {
        sink.emit(node, LeafKind.Null, 'null', trail);
      } else if (Array.isArray(v)) {
        const id = counter.next++;
        if (++counter.depth > MAX_EVENT_DEPTH) throw tooDeep();
        for (let i = 0; i < v.length; i++) {
          const el: unknown = v[i];
          walkValue(el, node, sink, el !== null && typeof el === 'object' ? extend(trail, id, i) : trail, counter);
        }
        counter.depth--;
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

export function extend(trail: ArrayTrail | null, id: number, index: number): ArrayTrail {
  return trail === null ? [id, index] : [...trail, id, index];
}

// ---- JSON text: see json-scanner.ts ----
