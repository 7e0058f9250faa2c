import type { Ec2Store } from '../../storage/ports/ec2-store.js';
import type { AmiEventSink, Ec2Event } from './ami-event.js';

/**
 * Hands outbox events to the sink in order. A state change and its event are written in one store
 * transaction (`putImageWithEvent`); this relay then offers each event to the sink and deletes it
 * only after the sink accepted it. A crash in between re-offers the same event id, which the sink
 * de-duplicates (see AmiEventSink).
 */
export class AmiEventRelay {
  private running: Promise<number> | undefined;
  private again = false;

  constructor(
    private readonly store: Ec2Store,
    private readonly sink: AmiEventSink,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Emits every queued event; returns how many were handed over. Concurrent calls share one run,
   * which goes round once more if a call arrived meanwhile (its event may have been queued after
   * the run's last read).
   */
  flush(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drainWhileAsked().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drainWhileAsked(): Promise<number> {
    let sent = 0;
    do {
      this.again = false;
      sent += await this.drain();
    } while (this.again);
    return sent;
  }

  private async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.store.outboxEvents(100);
      if (batch.length === 0) return sent;
      for (const record of batch) {
        try {
          await this.sink.emit(JSON.parse(record.json) as Ec2Event);
        } catch (error) {
          // Keep order: stop at the first refusal and try again on the next flush.
          this.onError(error);
          return sent;
        }
        await this.store.deleteOutboxEvent(record.id);
        sent++;
      }
    }
  }
}
