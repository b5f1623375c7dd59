import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUDIT_KEYS } from '../helpers/audit-keys.js';
import { RegistryService } from '../../src/registry/service.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { KyselyRegistryStore } from '../../src/store/registry-store.js';
import { SnapshotStore } from '../../src/store/snapshot-store.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { apply, makeMonitor, render, restoreAll, smallConfig, snapshotAll } from '../durable/monitor-fixture.js';

export interface SnapshotStoreHarness {
  open(): Promise<OpenedDatabase>;
  dispose(): Promise<void>;
}

const bytes = (...b: number[]) => Uint8Array.from(b);

/** The snapshot tables (migration 005) on SQLite and on a real PostgreSQL. */
export function describeSnapshotStore(dialect: string, makeHarness: () => Promise<SnapshotStoreHarness>): void {
  describe(`snapshot store on ${dialect}`, () => {
    let harness: SnapshotStoreHarness;
    let db: OpenedDatabase;
    let store: SnapshotStore;

    beforeAll(async () => {
      harness = await makeHarness();
      db = await harness.open();
      store = new SnapshotStore(db.db);
    });
    afterAll(async () => {
      await db?.close();
      await harness?.dispose();
    });

    it('round-trips bytes exactly (zeros and high bytes included) and replaces rows in place', async () => {
      const state = bytes(0, 255, 0, 1, 128, 0);
      await store.write([
        {
          model: 'm',
          generation: 'g1',
          writtenMs: 1,
          state,
          versions: [{ version: 'v1', lastSeenMs: 5, state: bytes(0, 0) }],
          keep: ['v1'],
        },
      ]);
      let got = await store.load('m');
      expect(got?.generation).toBe('g1');
      expect(Buffer.from(got!.state)).toEqual(Buffer.from(state));
      expect(got!.versions.map((v) => [v.version, v.lastSeenMs, [...v.state]])).toEqual([['v1', 5, [0, 0]]]);
      await store.write([{ model: 'm', generation: 'g2', writtenMs: 2, state: bytes(7), versions: [], keep: ['v1'] }]);
      got = await store.load('m');
      expect(got?.generation).toBe('g2');
      // v1 is still kept, so its row stays as it was.
      expect(got!.versions.map((v) => v.version)).toEqual(['v1']);
      expect(await store.generation('m')).toBe('g2');
      expect(await store.generation('nope')).toBeUndefined();
      expect(await store.load('nope')).toBeUndefined();
    });

    it('deletes the rows of versions the model no longer tracks', async () => {
      const v = (version: string) => ({ version, lastSeenMs: 10, state: bytes(1) });
      await store.write([{ model: 'k', generation: 'a', writtenMs: 1, state: bytes(1), versions: [v('v1'), v('v2')], keep: ['v1', 'v2'] }]);
      await store.write([{ model: 'k', generation: 'b', writtenMs: 2, state: bytes(1), versions: [v('v3')], keep: ['v2', 'v3'] }]);
      expect((await store.load('k'))!.versions.map((x) => x.version).sort()).toEqual(['v2', 'v3']);
      await store.write([{ model: 'k', generation: 'c', writtenMs: 3, state: bytes(1), versions: [], keep: [] }]);
      expect((await store.load('k'))!.versions).toEqual([]);
    });

    it('a full monitor snapshot restores identically through the store', async () => {
      const config = smallConfig();
      const clock = { t: 1_700_000_000_000 };
      const a = makeMonitor(config, clock);
      apply(a, clock, {
        kind: 'clf',
        events: [
          { id: 1, x: 3, color: 'purple', pred: 'a', score: 0.2, label: 'b' },
          { id: 2, x: null, color: 'red', pred: 'b', score: 0.9 },
        ],
      });
      apply(a, clock, { kind: 'wait', ms: 130_000 });
      apply(a, clock, {
        kind: 'reg',
        events: [
          { id: 1, x: 2, pred: 1.5, label: 2.25 },
          { id: 2, x: 9, pred: 4 },
        ],
      });
      apply(a, clock, { kind: 'kpi', value: 12.5 });
      await store.write(snapshotAll(a).map((s) => ({ ...s, writtenMs: clock.t, keep: s.versions.map((v) => v.version) })));
      const loaded = await store.loadMany(['clf', 'reg', 'absent']);
      expect(loaded.map((l) => l.model).sort()).toEqual(['clf', 'reg']);
      expect(loaded).toEqual(await Promise.all(loaded.map(async (l) => (await store.load(l.model))!)));
      const b = makeMonitor(config, { t: clock.t });
      expect(restoreAll(b, loaded)).toEqual([]);
      expect(render(b, config)).toBe(render(a, config));
    });

    it('prunes idle and archived versions, and models left without versions: the tables do not grow', async () => {
      const registry = new RegistryService(new KyselyRegistryStore(db.db, TEST_AUDIT_KEYS));
      await registry.registerVersion('arch', { version: 'old', metrics: {} }, 'test');
      await registry.registerVersion('arch', { version: 'new', metrics: {} }, 'test');
      const now = Date.now();
      await store.prune(now - 3_600_000); // what earlier tests left (written at the epoch)
      const row = (version: string, lastSeenMs: number) => ({ version, lastSeenMs, state: bytes(1, 2, 3) });
      await store.write([
        {
          model: 'arch',
          generation: 'x',
          writtenMs: now,
          state: bytes(1),
          versions: [row('old', now - 1000), row('new', now - 1000)],
          keep: ['old', 'new'],
        },
        {
          model: 'idle',
          generation: 'x',
          writtenMs: now - 7_200_000,
          state: bytes(1),
          versions: [row('v1', now - 7_200_000)],
          keep: ['v1'],
        },
      ]);
      await registry.transition('arch', 'old', { to: 'archived', reason: 'retired' }, 'test');
      const before = await store.size();
      const deleted = await store.prune(now - 3_600_000);
      expect(deleted).toBe(3); // arch/old (archived after last seen), idle/v1 (idle), then model idle
      expect((await store.load('arch'))!.versions.map((v) => v.version)).toEqual(['new']);
      expect(await store.load('idle')).toBeUndefined();
      expect((await store.size()).versions).toBe(before.versions - 2);

      // A steady fleet checkpointing again and again keeps one row per model and version.
      const sizes: number[] = [];
      for (let i = 0; i < 20; i++) {
        await store.write(
          Array.from({ length: 5 }, (_, m) => ({
            model: `steady${m}`,
            generation: `g${i}`,
            writtenMs: now + i,
            state: bytes(i % 7, 1),
            versions: [row(`v${i % 3}`, now + i)],
            keep: [`v${i % 3}`],
          })),
        );
        await store.prune(now - 3_600_000);
        const s = await store.size();
        sizes.push(s.models + s.versions);
      }
      expect(new Set(sizes.slice(1)).size).toBe(1);
    });

    it('outbox: a row is claimed by exactly one of two racing claims, and its attempts are recorded', async () => {
      const outbox = new OutboxStore(db.db);
      await db.db
        .transaction()
        .execute((tx) =>
          outbox.insert(tx, { id: 'd1', webhookId: 'wh_x', event: 'version.registered', body: '{}', createdAt: new Date().toISOString() }),
        );
      const [row] = await outbox.due(Date.now(), 10);
      expect(row).toMatchObject({ id: 'd1', status: 'pending', attempts: 0 });
      const claims = await Promise.all([outbox.claim(row, Date.now() + 15_000), outbox.claim(row, Date.now() + 15_000)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await outbox.due(Date.now(), 10)).toEqual([]);
      await outbox.record('d1', {
        attempts: 1,
        status: 'delivered',
        lastStatus: 200,
        nextAttemptMs: 0,
        finishedAt: new Date().toISOString(),
      });
      expect(await outbox.recent('wh_x', 5)).toEqual([
        expect.objectContaining({ id: 'd1', status: 'delivered', attempts: 1, last_status: 200 }),
      ]);
      expect(await outbox.pendingCount()).toBe(0);
      expect(await outbox.prune(new Date(Date.now() + 1000).toISOString())).toBe(1);
    });
  });
}
