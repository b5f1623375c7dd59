import type { Kysely, Transaction } from 'kysely';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import type { AuditDraft, AuditEntry } from '../registry/types.js';
import { AuditStore } from './audit-store.js';
import type { Database } from './schema.js';
import { asConflict } from './sql-errors.js';

export type AppendAudit = (draft: AuditDraft) => Promise<AuditEntry>;

/**
 * The one write protocol for every audited change (registry, tokens, webhooks): one
 * transaction whose first act locks the audit chain head. That lock serializes audited writes
 * across processes and replicas, so checks made inside `fn` see the latest committed state and
 * the chain never forks; the change and its audit entry commit or roll back together.
 * Entries are signed with the current key of `keys`. Constraint violations and lost races
 * surface as ConflictError.
 */
export async function auditedWrite<T>(
  db: Kysely<Database>,
  keys: AuditKeyRing,
  fn: (tx: Transaction<Database>, appendAudit: AppendAudit) => Promise<T>,
): Promise<T> {
  const audit = new AuditStore(db, keys);
  try {
    return await db.transaction().execute(async (tx) => {
      let head = await audit.lockHead(tx);
      return fn(tx, async (draft) => {
        const entry = await audit.append(tx, head, draft);
        head = { lastId: entry.id, lastHash: entry.hash };
        return entry;
      });
    });
  } catch (err) {
    throw asConflict(err);
  }
}
