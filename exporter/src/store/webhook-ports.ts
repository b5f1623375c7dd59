import type { AuditDraft } from '../registry/types.js';

/**
 * What webhook subscriptions need from storage; implemented with kysely in
 * store/webhook-store.ts, so that nothing here sees SQL.
 */
export interface StoredWebhook {
  id: string;
  url: string;
  events: string[];
  /**
   * In the clear here, not hashed: unlike a bearer token, the signing secret has to be read back
   * to compute each delivery's HMAC. The store keeps it encrypted (store/secret-box.ts); the API
   * never returns it and the audit log never records it.
   */
  secret: string;
  description: string;
  createdAt: string;
  createdBy: string;
}

export interface WebhookStore {
  list(): Promise<StoredWebhook[]>;
  /**
   * Runs `fn` as one audited transaction (the registry's write protocol): the subscription
   * change and its audit entry commit together, serialized with every other audited write.
   */
  write<T>(fn: (tx: WebhookWriteTx) => Promise<T>): Promise<T>;
}

export interface WebhookWriteTx {
  count(): Promise<number>;
  get(id: string): Promise<StoredWebhook | undefined>;
  insert(hook: StoredWebhook): Promise<void>;
  /** False when there was no such webhook. */
  delete(id: string): Promise<boolean>;
  appendAudit(draft: AuditDraft): Promise<unknown>;
}
