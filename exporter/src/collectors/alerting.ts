import { CATALOG } from '../metrics/catalog.js';
import type { DeliveryOutcome } from '../webhooks/dispatcher.js';
import { WEBHOOK_EVENTS } from '../webhooks/events.js';
import type { AlertOutcome } from '../alerting/alert-rollback.js';
import type { Collector } from './collector.js';
import type { ExpositionWriter } from './exposition-writer.js';

const ALERT_OUTCOMES: AlertOutcome['outcome'][] = ['rolled_back', 'ignored', 'failed', 'rejected'];
const DELIVERY_OUTCOMES = ['delivered', 'failed', 'dropped'] as const;

/**
 * Series of the alerting feature: the Alertmanager receiver's outcomes and outbound webhook
 * deliveries. Every label combination exists at zero from the start, so `increase()` alerts
 * see the first failure rather than a series appearing from nothing.
 */
export class AlertingMetrics implements Collector {
  readonly name = 'alerting';
  private readonly alerts = new Map<string, number>(ALERT_OUTCOMES.map((o) => [o, 0]));
  /** Keyed by `event\u0000outcome`. */
  private readonly deliveries = new Map<string, number>();

  /** `pending()`: deliveries queued, in flight or waiting to retry (read at scrape time). */
  constructor(private readonly pending: () => number) {
    for (const event of WEBHOOK_EVENTS) for (const outcome of DELIVERY_OUTCOMES) this.deliveries.set(`${event}\u0000${outcome}`, 0);
  }

  alertsHandled(outcomes: readonly AlertOutcome[]): void {
    for (const o of outcomes) this.alerts.set(o.outcome, (this.alerts.get(o.outcome) ?? 0) + 1);
  }

  delivery(o: DeliveryOutcome): void {
    const key = `${o.event}\u0000${o.dropped ? 'dropped' : o.delivered ? 'delivered' : 'failed'}`;
    this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
  }

  collect(out: ExpositionWriter): void {
    out.family(CATALOG.alertsReceived);
    for (const [outcome, n] of this.alerts) out.sample({ outcome }, n);
    out.family(CATALOG.webhookDeliveries);
    for (const [key, n] of this.deliveries) {
      const [event, outcome] = key.split('\u0000');
      out.sample({ event, outcome }, n);
    }
    out.family(CATALOG.webhookPending).sample(undefined, this.pending());
  }
}
