/**
 * The Matcher's rules by small integer id, and reporting them: states and key programs name a
 * rule by its id, and `report` appends its name to an event's answer — once per event for a rule
 * that can be reached along several paths (`multi`), without any check for the others.
 */
export class RuleReports {
  private readonly names: string[] = [];
  private readonly multi: boolean[] = [];
  /** Epoch of the last event that reported the rule (multi rules only). */
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

  report(id: number, epoch: number, out: string[]): void {
    if (this.multi[id]) {
      if (this.marks[id] === epoch) return;
      this.marks[id] = epoch;
    }
    out.push(this.names[id]!);
  }

  /** The same, deduplicating whatever the rule (for walks that may reach a state more than once). */
  reportOnce(id: number, epoch: number, out: string[]): void {
    if (this.marks[id] === epoch) return;
    this.marks[id] = epoch;
    out.push(this.names[id]!);
  }
}
