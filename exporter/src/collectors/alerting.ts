import { Counter, Gauge, type Registry } from 'prom-client';
import { CATALOG } from '../metrics/catalog.js';
import type { DeliveryOutcome } from '../webhooks/dispatcher.js';
import { WEBHOOK_EVENTS } from '../webhooks/events.js';
import type { AlertOutcome } from '../alerting/alert-rollback.js';

const ALERT_OUTCOMES: AlertOutcome['outcome'][] = ['rolled_back', 'ignored', 'failed', 'rejected'];
const DELIVERY_OUTCOMES = ['delivered', 'failed', 'dropped'] as const;

/**
 * Series of the alerting feature. Every label combination is created at zero up front, so
 * `increase()` alerts see the first failure rather than a series appearing from nothing.
 */
export class AlertingMetrics {
  private readonly alerts: Counter<'outcome'>;
  private readonly deliveries: Counter<'event' | 'outcome'>;

  constructor(registry: Registry, dispatcher: { readonly pendingCount: number }) {
    this.alerts = new Counter({
      name: CATALOG.alertsReceived.name,
      help: CATALOG.alertsReceived.help,
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: CATALOG.webhookDeliveries.name,
      help: CATALOG.webhookDeliveries.help,
      labelNames: ['event', 'outcome'],
      registers: [registry],
    });
    new Gauge({
      name: CATALOG.webhookPending.name,
      help: CATALOG.webhookPending.help,
      registers: [registry],
      collect() {
        this.set(dispatcher.pendingCount);
      },
    });
    for (const outcome of ALERT_OUTCOMES) this.alerts.inc({ outcome }, 0);
    for (const event of WEBHOOK_EVENTS) for (const outcome of DELIVERY_OUTCOMES) this.deliveries.inc({ event, outcome }, 0);
  }

  alertsHandled(outcomes: readonly AlertOutcome[]): void {
    for (const o of outcomes) this.alerts.inc({ outcome: o.outcome });
  }

  delivery(o: DeliveryOutcome): void {
    this.deliveries.inc({ event: o.event, outcome: o.dropped ? 'dropped' : o.delivered ? 'delivered' : 'failed' });
  }
}
