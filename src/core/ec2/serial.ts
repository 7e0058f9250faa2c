/**
 * Runs async tasks one at a time. EC2 mutations check-then-write (name uniqueness, "is it still
 * pending?"); serialising them in-process keeps those checks true when requests interleave at
 * their awaits.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
