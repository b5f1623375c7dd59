import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Checkpointer } from '../../src/durable/checkpointer.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { SnapshotStore } from '../../src/store/snapshot-store.js';

// The journal deletes its rows once a checkpoint covers them, so a checkpoint that skips a model
// whose state changed loses that change at the next crash. Every accepted batch must make its
// model count as changed, including one that leaves every size and revision as it was.
describe('checkpoint change detection', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-ckpt-'));
    dirs.push(dir);
    const config = loadConfig({ MODELWATCH_DATA_DIR: dir, MODELWATCH_LOG_LEVEL: 'silent' });
    const db = await openDatabase({ sqlitePath: config.sqlitePath });
    const now = Date.now();
    const monitor = new Monitor(config, () => now);
    const checkpointer = new Checkpointer({
      monitor,
      store: new SnapshotStore(db.db),
      log: createLogger('silent'),
      intervalMs: 0,
      windowMs: config.windowSeconds * 1000,
      now: () => now,
    });
    checkpointer.adopt('m');
    return { db, monitor, checkpointer };
  }

  it('writes a model again after every kind of accepted batch, and not without one', async () => {
    const { db, monitor, checkpointer } = await setup();
    monitor.applyPredictions({ model: 'm', version: 'v1', events: [{ id: 'p1', features: {}, prediction: 1, label: 1 }] } as never);
    monitor.applyFeedback({ model: 'm', events: [{ id: 'early', label: 0 }] } as never);
    expect((await checkpointer.checkpoint()).models).toBe(1);
    expect((await checkpointer.checkpoint()).models).toBe(0);
    // A second label for a held id is a duplicate: no size, revision or counter of the model moves.
    monitor.applyFeedback({ model: 'm', events: [{ id: 'early', label: 1 }] } as never);
    expect((await checkpointer.checkpoint()).models).toBe(1);
    monitor.applyPredictions({ model: 'm', version: 'v1', events: [{ id: 'p2', features: {}, prediction: 0 }] } as never);
    expect((await checkpointer.checkpoint()).models).toBe(1);
    expect((await checkpointer.checkpoint()).models).toBe(0);
    await db.close();
  });

  it('writes a model again after a KPI is set to the value it had', async () => {
    const { db, monitor, checkpointer } = await setup();
    monitor.applyPredictions({ model: 'm', version: 'v1', events: [{ id: 'p1', features: {}, prediction: 1, label: 1 }] } as never);
    monitor.applyKpis({ model: 'm', kpis: { revenue: 5 } } as never);
    expect((await checkpointer.checkpoint()).models).toBe(1);
    // Same value: nothing to write; but the model is marked changed, which costs one extra write.
    monitor.applyKpis({ model: 'm', kpis: { revenue: 5 } } as never);
    expect((await checkpointer.checkpoint()).models).toBe(1);
    await db.close();
  });
});
