import { describe, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { shouldSkipPostgres, startPostgres } from '../helpers/postgres.js';
import { describeRegistryStore } from './registry-store.suite.js';

if (shouldSkipPostgres()) {
  describe.skip('registry store on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  describeRegistryStore('PostgreSQL', async () => {
    const server = await startPostgres();
    const databaseUrl = await server.createDatabase('registry_store');
    return {
      open: () => openDatabase({ databaseUrl, sqlitePath: ':unused:' }),
      openPeer: () => openDatabase({ databaseUrl, sqlitePath: ':unused:' }),
      dispose: () => server.stop(),
    };
  });
}
