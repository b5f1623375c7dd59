import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './001-tokens-and-references.js';
import * as m002 from './002-registry.js';
import * as m003 from './003-webhooks.js';
import * as m005 from './005-durable-state.js';
import * as m006 from './006-keyed-audit.js';
import * as m007 from './007-model-archive.js';
import * as m008 from './008-sealed-secrets.js';
import * as m009 from './009-ingest-journal.js';

/**
 * Versioned migrations, applied in name order. Add a file, never edit a shipped one.
 */
const migrations: Record<string, Migration> = {
  '001-tokens-and-references': m001,
  '002-registry': m002,
  '003-webhooks': m003,
  '005-durable-state': m005,
  '006-keyed-audit': m006,
  '007-model-archive': m007,
  '008-sealed-secrets': m008,
  '009-ingest-journal': m009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
