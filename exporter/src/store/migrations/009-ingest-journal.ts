import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * The write-ahead ingest journal (src/durable/journal.ts): one row per acknowledged ingest
 * batch, appended before the 2xx answer and deleted once a checkpoint covers it. `seq` is
 * assigned by the database and never reused (SQLite AUTOINCREMENT, a PostgreSQL sequence):
 * a snapshot records the last seq it covers, so a seq handed out again after the rows were
 * deleted would be mistaken for one already in the snapshot. `instance` names the exporter
 * that wrote the row (MODELWATCH_INSTANCE): only it replays and deletes its rows, so replicas
 * sharing one PostgreSQL never replay each other's batches.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('ingest_journal')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('instance', 'varchar(256)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('model', 'varchar(512)', (c) => c.notNull())
    .addColumn('now_ms', 'double precision', (c) => c.notNull())
    .addColumn('positive_class', 'text')
    .addColumn('body', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ingest_journal_by_instance').on('ingest_journal').columns(['instance', 'seq']).execute();
  // The last journal seq a model's snapshot covers (null: written without the journal).
  await db.schema.alterTable('model_snapshots').addColumn('journal_seq', 'double precision').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('model_snapshots').dropColumn('journal_seq').execute();
  await db.schema.dropTable('ingest_journal').execute();
}
