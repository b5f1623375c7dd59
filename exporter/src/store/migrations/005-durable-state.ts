import type { Kysely } from 'kysely';

/**
 * Durable monitoring state (issue 12): window snapshots per model and per version, and the
 * webhook outbox. Snapshots are opaque bytes (see src/durable/envelope.ts for their format);
 * `bytea` is a BLOB on PostgreSQL and stored as-is by SQLite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('model_snapshots')
    .addColumn('model', 'varchar(512)', (c) => c.primaryKey())
    .addColumn('generation', 'varchar(40)', (c) => c.notNull())
    .addColumn('written_ms', 'double precision', (c) => c.notNull())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('version_snapshots')
    .addColumn('model', 'varchar(512)', (c) => c.notNull())
    .addColumn('version', 'varchar(512)', (c) => c.notNull())
    .addColumn('last_seen_ms', 'double precision', (c) => c.notNull())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_snapshots_pk', ['model', 'version'])
    .execute();
  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('webhook_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('next_attempt_ms', 'double precision', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['status', 'next_attempt_ms']).execute();
  await db.schema.createIndex('webhook_outbox_by_hook').on('webhook_outbox').columns(['webhook_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_outbox').execute();
  await db.schema.dropTable('version_snapshots').execute();
  await db.schema.dropTable('model_snapshots').execute();
}
