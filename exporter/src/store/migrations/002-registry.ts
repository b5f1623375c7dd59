import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Genesis value of the audit hash chain: the prev_hash of entry 1. */
const GENESIS_HASH = '0'.repeat(64);

/**
 * The model registry: models, versions, stage transitions and the hash-chained audit log.
 * "At most one production version per model" is a partial unique index, so the database
 * itself refuses a second one, whatever the number of replicas writing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // An integer key the database assigns: serial on PostgreSQL, rowid alias on SQLite.
  const autoId = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', postgres ? 'serial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await db.schema
    .createTable('models')
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('team', 'varchar(64)', (c) => c.notNull())
    .addColumn('gates', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(160)', (c) => c.notNull())
    .execute();

  await autoId('model_versions')
    .addColumn('model', 'varchar(128)', (c) => c.notNull().references('models.name'))
    .addColumn('version', 'varchar(128)', (c) => c.notNull())
    .addColumn('stage', 'varchar(16)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('lineage', 'text', (c) => c.notNull())
    .addColumn('predecessor', 'varchar(128)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(160)', (c) => c.notNull())
    .addColumn('stage_changed_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('model_versions_model_version_key', ['model', 'version'])
    .addCheckConstraint('model_versions_stage_check', sql`stage in ('development', 'staging', 'production', 'archived')`)
    .execute();
  await db.schema
    .createIndex('model_versions_one_production')
    .on('model_versions')
    .column('model')
    .unique()
    .where(sql.ref('stage'), '=', sql.lit('production'))
    .execute();

  await autoId('stage_transitions')
    .addColumn('model', 'varchar(128)', (c) => c.notNull().references('models.name'))
    .addColumn('version', 'varchar(128)', (c) => c.notNull())
    .addColumn('from_stage', 'varchar(16)', (c) => c.notNull())
    .addColumn('to_stage', 'varchar(16)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('trigger', 'varchar(16)')
    .addColumn('forced', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'varchar(160)', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stage_transitions_model_id').on('stage_transitions').columns(['model', 'id']).execute();

  // Ids are assigned by the writer holding the chain head, so they are dense and ordered.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(160)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('model', 'varchar(128)')
    .addColumn('version', 'varchar(128)')
    .addColumn('reason', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_model_id').on('audit_log').columns(['model', 'id']).execute();

  // One row that every registry write locks first: it serializes appends so the chain never
  // forks, and it remembers the tail so that a truncated log is caught by verification.
  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_id', 'integer', (c) => c.notNull())
    .addColumn('last_hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_chain_head').values({ id: 1, last_id: 0, last_hash: GENESIS_HASH }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_chain_head', 'audit_log', 'stage_transitions', 'model_versions', 'models']) {
    await db.schema.dropTable(t).execute();
  }
}
