/**
 * What webhook subscriptions need from storage; implemented with kysely in
 * store/webhook-store.ts, so that nothing here sees SQL.
 */
export interface StoredWebhook {
  id: string;
  url: string;
  events: string[];
  /**
   * Kept as given, not hashed: unlike a bearer token, the signing secret has to be read back
   * to compute each delivery's HMAC. The API never returns it.
   */
  secret: string;
  description: string;
  createdAt: string;
  createdBy: string;
}

export interface WebhookStore {
  insert(hook: StoredWebhook): Promise<void>;
  list(): Promise<StoredWebhook[]>;
  count(): Promise<number>;
  /** False when there was no such webhook. */
  delete(id: string): Promise<boolean>;
}
