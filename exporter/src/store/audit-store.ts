import { redactSecretsDeep, redactUrlsInText } from '../redact-url.js';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson, chainHash, type AuditKeyRing } from '../registry/audit-chain.js';
import type { AuditQuery } from '../registry/ports.js';
import type { AuditDraft, AuditEntry } from '../registry/types.js';
import type { AuditLogTable, Database } from './schema.js';

export interface ChainHead {
  lastId: number;
  lastHash: string;
}

/**
 * The audit log table and its chain head. Appends happen only inside a registry write
 * transaction that has locked the head (lockHead), so ids are dense and each entry hashes
 * over the one before it.
 */
export class AuditStore {
  /** `keys` signs appends; reads need none. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys?: AuditKeyRing,
  ) {}

  /**
   * The first statement of every registry write: a no-op update takes the head row's write
   * lock (a row lock on PostgreSQL, the database write lock on SQLite) until commit.
   */
  async lockHead(tx: Transaction<Database>): Promise<ChainHead> {
    const row = await tx
      .updateTable('audit_chain_head')
      .set((eb) => ({ last_id: eb.ref('last_id') }))
      .where('id', '=', 1)
      .returning(['last_id', 'last_hash'])
      .executeTakeFirstOrThrow();
    return { lastId: Number(row.last_id), lastHash: row.last_hash };
  }

  /** Appends after `head` (which the caller holds locked) and returns the new entry. */
  async append(tx: Transaction<Database>, head: ChainHead, draft: AuditDraft): Promise<AuditEntry> {
    if (!this.keys) throw new Error('AuditStore.append needs the audit key ring');
    const key = this.keys.current;
    const id = head.lastId + 1;
    // Redacted before hashing: what is hashed is what is stored, and no credential ever enters
    // the log, which viewers read and nobody can rewrite (redact-url.ts).
    draft = {
      ...draft,
      reason: draft.reason === null ? null : redactUrlsInText(draft.reason),
      before: redactSecretsDeep(draft.before),
      after: redactSecretsDeep(draft.after),
    };
    const before = draft.before === undefined || draft.before === null ? null : canonicalJson(draft.before);
    const after = draft.after === undefined || draft.after === null ? null : canonicalJson(draft.after);
    const content = { ...draft, id, before: before === null ? null : JSON.parse(before), after: after === null ? null : JSON.parse(after) };
    const hash = chainHash(head.lastHash, content, key.secret);
    await tx
      .insertInto('audit_log')
      .values({
        id,
        at: draft.at,
        actor: draft.actor,
        action: draft.action,
        model: draft.model,
        version: draft.version,
        reason: draft.reason,
        before,
        after,
        prev_hash: head.lastHash,
        hash,
        key_id: key.id,
      })
      .execute();
    await tx.updateTable('audit_chain_head').set({ last_id: id, last_hash: hash }).where('id', '=', 1).execute();
    return { ...content, prevHash: head.lastHash, hash, keyId: key.id };
  }

  async head(): Promise<ChainHead> {
    const row = await this.db.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { lastId: Number(row.last_id), lastHash: row.last_hash };
  }

  /** Newest first. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.model !== undefined) q = q.where('model', '=', query.model);
    if (query.before !== undefined) q = q.where('id', '<', query.before);
    const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toEntry);
  }

  /** In id order, after `afterId`. */
  async page(afterId: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
    return rows.map(toEntry);
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    // A hand-edited row that is not JSON any more: keep the text so the hash check fails on it.
    return text;
  }
}

function toEntry(r: AuditLogTable): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    model: r.model,
    version: r.version,
    reason: r.reason,
    before: parseJson(r.before),
    after: parseJson(r.after),
    prevHash: r.prev_hash,
    hash: r.hash,
    keyId: r.key_id,
  };
}
