import type { App } from '../server/app.js';
import type { Logger } from './logger.js';

/**
 * --log-level debug: each event and each delivery outcome, as the control stream reports them
 * (`amiwatch start`, and the embedded server with `logLevel: 'debug'`). Returns the way to stop.
 */
export function logFeed(app: App, logger: Logger): () => void {
  const offEvents = app.events.feed.onEvents((events) => {
    for (const e of events) {
      const body = JSON.parse(e.body) as { source?: string; 'detail-type'?: string };
      logger.debug('event', { id: e.eventId, bus: e.busArn, source: body.source, detailType: body['detail-type'], rules: e.rules });
    }
  });
  const offDeliveries = app.events.feed.onDelivery((d) => {
    logger.debug('delivery', {
      event: d.eventId,
      rule: d.ruleArn,
      target: d.targetId,
      status: d.status,
      attempts: d.attempts,
      ...(d.error !== undefined && { error: d.error }),
    });
  });
  return () => {
    offEvents();
    offDeliveries();
  };
}
