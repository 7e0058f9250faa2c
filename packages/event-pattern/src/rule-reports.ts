/**
 * The Matcher's rules by small integer id, and reporting them into an event's answer.
 *
 * A rule that can be reached along several paths (`multi`: several `$or` branches or keys) is
 * reported once per event, through an epoch mark; the others need no check. Programs name a rule
 * by its report code, `id × 2 + multi`, so that reporting a single-path rule reads nothing but
 * its name.
 */
export class RuleReports {
  private readonly names: string[] = [];
  private readonly multi: boolean[] = [];
  /** Epoch of the last event that reported the rule (multi rules, and walks that must dedupe). */
  private readonly marks: number[] = [];
  private readonly free: number[] = [];

  add(name: string): number {
    const id = this.free.pop() ?? this.names.length;
    this.names[id] = name;
    this.multi[id] = false;
    this.marks[id] = -1;
    return id;
  }

  /** Whether the rule can be reached along more than one path, so that its reports need deduplicating. */
  setMulti(id: number, multi: boolean): void {
    this.multi[id] = multi;
  }

  remove(id: number): void {
    this.names[id] = '';
    this.free.push(id);
  }

  /** The rule's report code (valid until its `multi` changes). */
  code(id: number): number {
    return id * 2 + (this.multi[id] ? 1 : 0);
  }

  /** Reports the rule with this report code. */
  report(code: number, epoch: number, out: string[]): void {
    const id = code >> 1;
    if ((code & 1) !== 0) {
      if (this.marks[id] === epoch) return;
      this.marks[id] = epoch;
    }
    out.push(this.names[id]!);
  }

  /** Reports a rule by id, deduplicating whatever the rule (for walks that may reach a state more than once). */
  reportOnce(id: number, epoch: number, out: string[]): void {
    if (this.marks[id] === epoch) return;
    this.marks[id] = epoch;
    out.push(this.names[id]!);
  }
}
