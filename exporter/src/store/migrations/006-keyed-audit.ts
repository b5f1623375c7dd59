import type { Kysely } from 'kysely';

/**
 * The audit chain becomes keyed (HMAC, registry/audit-chain.ts): each entry records the id of
 * the key it was written with. Entries from before have none and keep their plain sha256.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('key_id', 'varchar(16)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('key_id').execute();
}
