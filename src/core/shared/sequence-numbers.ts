/**
 * SequenceNumber of SQS FIFO messages and SNS FIFO publishes: "a large, non-consecutive number"
 * assigned to each message, growing within a message group (128-bit in AWS, 20 digits as they
 * show). Send time in milliseconds times 10^6, or one more than the last one issued: strictly
 * growing in this process, and across a restart because time is.
 */
export class SequenceNumbers {
  private last = 0n;
  next(now: number): string {
    const t = BigInt(now) * 1_000_000n;
    this.last = t > this.last ? t : this.last + 1n;
    return this.last.toString().padStart(20, '0');
  }
}
