import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Webhook secrets are stored encrypted (store/secret-box.ts), which is longer than the 256
 * characters a secret may have: the column becomes text on PostgreSQL (SQLite does not enforce
 * varchar lengths). The rows themselves are sealed at start by `sealPlaintextSecrets`, because
 * the key lives outside the database, where a migration cannot reach it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await db.schema
      .alterTable('webhooks')
      .alterColumn('secret', (c) => c.setDataType('text'))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await db.schema
      .alterTable('webhooks')
      .alterColumn('secret', (c) => c.setDataType('varchar(2048)'))
      .execute();
}
