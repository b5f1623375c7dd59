/** Registry events a webhook can subscribe to. `*` subscribes to all of them. */
export const WEBHOOK_EVENTS = ['version.registered', 'version.transitioned', 'model.rolled_back'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export function subscribes(events: readonly string[], event: WebhookEventName): boolean {
  return events.includes('*') || events.includes(event);
}
