import { describe, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { shouldSkipPostgres, startPostgres } from '../helpers/postgres.js';
import { describeSnapshotStore } from './snapshot-store.suite.js';

if (shouldSkipPostgres()) {
  describe.skip('snapshot store on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  describeSnapshotStore('PostgreSQL', async () => {
    const server = await startPostgres();
    const databaseUrl = await server.createDatabase('snapshot_store');
    return {
      open: () => openDatabase({ databaseUrl, sqlitePath: ':unused:' }),
      dispose: () => server.stop(),
    };
  });
}
