/**
 * Storage for key programs: one growable Int32Array, so that a program is a run of ints at an
 * offset (no object to dereference), with blocks recycled through free lists by size (powers of
 * two). A block's first int is its size class; the program starts right after it.
 */
export class ProgramArena {
  code = new Int32Array(1024);
  private top = 0;
  /** Free blocks (offsets of their headers) by size class: block size 4 << class. */
  private readonly free: number[][] = [];

  /** Copies a program in; returns its offset. */
  store(program: readonly number[]): number {
    let cls = 0;
    while (4 << cls < program.length + 1) cls++;
    let block = this.free[cls]?.pop();
    if (block === undefined) {
      block = this.top;
      this.top += 4 << cls;
      if (this.top > this.code.length) {
        const bigger = new Int32Array(Math.max(this.code.length * 2, this.top));
        bigger.set(this.code);
        this.code = bigger;
      }
    }
    this.code[block] = cls;
    this.code.set(program, block + 1);
    return block + 1;
  }

  /** Frees the program at `offset`. */
  release(offset: number): void {
    const block = offset - 1;
    (this.free[this.code[block]!] ??= []).push(block);
  }
}
