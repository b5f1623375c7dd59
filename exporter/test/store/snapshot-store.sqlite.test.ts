import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { describeSnapshotStore } from './snapshot-store.suite.js';

describeSnapshotStore('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-snap-'));
  const sqlitePath = path.join(dir, 'snap.sqlite');
  return {
    open: () => openDatabase({ sqlitePath }),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
