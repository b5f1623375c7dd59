import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { describeRegistryStore } from './registry-store.suite.js';

describeRegistryStore('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-store-'));
  const sqlitePath = path.join(dir, 'registry.sqlite');
  return {
    open: () => openDatabase({ sqlitePath }),
    openPeer: async (first) => ({ ...first, close: async () => undefined }),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
