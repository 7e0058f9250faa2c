import type { Ec2Store } from '../../storage/ports/ec2-store.js';
import type { AmiEventSink, AmiStateChangeEvent } from './ami-event.js';

/**
 * Hands outbox events to the sink in order. A state change and its event are written in one store
 * transaction (`putImageWithEvent`); this relay then offers each event to the sink and deletes it
 * only after the sink accepted it. A crash in between re-offers the same event id, which the sink
 * de-duplicates (see AmiEventSink).
 */
export class AmiEventRelay {
  private running: Promise<number> | undefined;

  constructor(
    private readonly store: Ec2Store,
    private readonly sink: AmiEventSink,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Emits every queued event; returns how many were handed over. Concurrent calls share one run. */
  flush(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.store.outboxEvents(100);
      if (batch.length === 0) return sent;
      for (const record of batch) {
        try {
          await this.sink.emit(JSON.parse(record.json) as AmiStateChangeEvent);
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
