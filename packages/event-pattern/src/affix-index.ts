/**
 * Prefixes (or suffixes, `fromEnd`) of string values, for one transition of the automaton.
 *
 * Few per transition in practice, so a short list checked with startsWith is fastest — one
 * memory read for the list, where a character trie costs a cache miss per character. Past a
 * handful, the affixes are grouped by length, and one pass over the value's first characters
 * (last, for suffixes) hashes its prefix of every length in use as it goes; each length costs one
 * probe of a flat table. No prefix is cut out of the value: slicing and hashing a fresh string
 * per length cost more than the whole lookup.
 */
import { finalMix } from './exact-key.js';
import type { Leaf, Visitor } from './leaf.js';
import { EMPTY, oddHash, RowTable } from './row-table.js';

/** Up to this many affixes, each is tested in turn. */
const LINEAR = 8;
const SEED = 0x811c9dc5 | 0;
const PRIME = 16777619;

interface Group<E> {
  readonly affix: string;
  readonly edges: E[];
}

/** The affixes by length: the lengths in use, ascending, and a table of rows [hash, length]. */
interface Grouped<E> {
  readonly lengths: Int32Array;
  readonly table: RowTable<Group<E>>;
}

export class AffixIndex<E> {
  private entries: { affix: string; edge: E }[] = [];
  private grouped: Grouped<E> | null = null;

  constructor(private readonly fromEnd: boolean) {}

  add(affix: string, edge: E): void {
    this.entries.push({ affix, edge });
    this.grouped = null;
  }

  remove(affix: string, edge: E): void {
    this.entries = this.entries.filter((x) => x.edge !== edge || x.affix !== affix);
    this.grouped = null;
  }

  get size(): number {
    return this.entries.length;
  }

  collect(value: string, leaf: Leaf, visitor: Visitor<E>): void {
    const entries = this.entries;
    if (entries.length <= LINEAR) {
      for (let i = 0; i < entries.length; i++) {
        const x = entries[i]!;
        if (this.fromEnd ? value.endsWith(x.affix) : value.startsWith(x.affix)) visitor.visit(x.edge, leaf);
      }
      return;
    }
    const { lengths, table } = (this.grouped ??= this.group());
    const { rows, objects, mask } = table;
    const n = value.length;
    let h = SEED;
    let i = 0;
    for (let k = 0; k < lengths.length; k++) {
      const length = lengths[k]!;
      if (length > n) return;
      for (; i < length; i++) h = Math.imul(h ^ value.charCodeAt(this.fromEnd ? n - 1 - i : i), PRIME);
      const hash = oddHash(finalMix(h));
      // Every row with this hash and length (two affixes may share a hash: each is checked).
      for (let r = hash & mask; rows[r * 2] !== EMPTY; r = (r + 1) & mask) {
        if (rows[r * 2] !== hash || rows[r * 2 + 1] !== length) continue;
        const g = objects[r]!;
        if (this.fromEnd ? value.endsWith(g.affix) : value.startsWith(g.affix)) {
          for (let j = 0; j < g.edges.length; j++) visitor.visit(g.edges[j]!, leaf);
        }
      }
    }
  }

  private group(): Grouped<E> {
    const byAffix = new Map<string, E[]>();
    for (const { affix, edge } of this.entries) {
      const list = byAffix.get(affix);
      if (list) list.push(edge);
      else byAffix.set(affix, [edge]);
    }
    const table = new RowTable<Group<E>>(1);
    const lengths = new Set<number>();
    for (const [affix, edges] of byAffix) {
      table.insert(this.hash(affix), [affix.length], { affix, edges });
      lengths.add(affix.length);
    }
    return { lengths: Int32Array.from([...lengths].sort((a, b) => a - b)), table };
  }

  /** The hash `collect` computes for a value's prefix (suffix) of the affix's length. */
  private hash(affix: string): number {
    const n = affix.length;
    let h = SEED;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ affix.charCodeAt(this.fromEnd ? n - 1 - i : i), PRIME);
    return oddHash(finalMix(h));
  }
}
