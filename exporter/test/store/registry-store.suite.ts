import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { chainHash, GENESIS_HASH, keyRingOf } from '../../src/registry/audit-chain.js';
import { StaleRollbackError } from '../../src/registry/errors.js';
import { RegistryService } from '../../src/registry/service.js';
import { TokenService } from '../../src/registry/token-service.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { KyselyRegistryStore } from '../../src/store/registry-store.js';
import { profileDigest, ReferenceStore } from '../../src/store/reference-store.js';
import { KyselyWebhookStore } from '../../src/store/webhook-store.js';
import { TEST_AUDIT_KEYS } from '../helpers/audit-keys.js';

export interface StoreHarness {
  /** Opens (and migrates) a connection to the suite's database; several may be open at once. */
  open(): Promise<OpenedDatabase>;
  /**
   * A second writer next to `first`, standing in for another replica: its own pool on
   * PostgreSQL. SQLite is the single-process store (replicas need PostgreSQL), and two
   * better-sqlite3 handles in one process would block each other's event loop while waiting
   * for the file lock, so there the peer shares the first connection.
   */
  openPeer(first: OpenedDatabase): Promise<OpenedDatabase>;
  /** Tears the database down. */
  dispose(): Promise<void>;
}

const ACTOR = 'test';

/** Settles all, and splits results into values and errors. */
async function race<T>(jobs: (() => Promise<T>)[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const settled = await Promise.allSettled(jobs.map((j) => j()));
  return {
    ok: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    errors: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : [])),
  };
}

/**
 * One behavioural suite for the registry store, run against SQLite and a real PostgreSQL.
 * It drives the store through the domain service (as the API does) and, where the point is
 * what the database itself enforces, through raw SQL that bypasses the domain.
 */
export function describeRegistryStore(dialect: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`registry store on ${dialect}`, () => {
    let harness: StoreHarness;
    let a: OpenedDatabase;
    let b: OpenedDatabase;
    let svcA: RegistryService;
    let svcB: RegistryService;

    beforeAll(async () => {
      harness = await makeHarness();
      a = await harness.open();
      // A second connection (pool) on the same database: a stand-in for another replica.
      b = await harness.openPeer(a);
      svcA = new RegistryService(new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS));
      svcB = new RegistryService(new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS));
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await harness?.dispose();
    });

    const staged = async (model: string, versions: string[]) => {
      for (const v of versions) {
        await svcA.registerVersion(model, { version: v, metrics: { accuracy: 0.95, latency_ms: 10 } }, ACTOR);
        await svcA.transition(model, v, { to: 'staging', reason: 'test' }, ACTOR);
      }
    };

    it('migrates idempotently: opening an up-to-date database changes nothing', async () => {
      const again = await harness.open();
      const head = await again.db.selectFrom('audit_chain_head').selectAll().execute();
      expect(head).toHaveLength(1);
      await again.close();
    });

    it('round-trips models, versions with lineage, and gate overrides', async () => {
      await svcA.createModel({ name: 'rt', description: 'round trip', team: 'risk' }, ACTOR);
      const lineage = {
        data_version: 'd',
        code_commit: 'c',
        hyperparameters: { lr: 0.1, name: 'x', on: false, none: null },
        environment: { py: '3.11' },
        artifact_uri: 's3://x/y',
        tags: { a: 'b' },
      };
      await svcA.registerVersion(
        'rt',
        { version: '1', metrics: { accuracy: 0.9, latency_ms: 12.5, f1: 0.7 }, lineage, description: 'first' },
        ACTOR,
      );
      const v = await svcB.getVersion('rt', '1');
      expect(v).toMatchObject({
        model: 'rt',
        version: '1',
        stage: 'development',
        description: 'first',
        metrics: { accuracy: 0.9, latency_ms: 12.5, f1: 0.7 },
        lineage,
        predecessor: null,
      });
      await svcA.setGates('rt', { production: { min_f1: 0.5 } }, 'f1 matters', ACTOR);
      expect((await svcB.getGates('rt')).gates).toEqual({
        staging: { min_accuracy: 0.8, max_latency_ms: 100 },
        production: { min_f1: 0.5 },
      });
      expect((await svcB.getModel('rt')).team).toBe('risk');
    });

    it("keeps a model's positive class beside its gate overrides: set, changed, cleared, audited, read on every connection (issue 11)", async () => {
      await svcA.createModel({ name: 'yesno', positive_class: 'yes' }, ACTOR);
      expect((await svcB.getModel('yesno')).positiveClass).toBe('yes');
      // gates and positive class share the models.gates JSON document: neither write loses the other
      await svcA.setGates('yesno', { staging: { min_accuracy: 0.7 } }, null, ACTOR);
      expect(await svcB.getModel('yesno')).toMatchObject({ positiveClass: 'yes', gates: { staging: { min_accuracy: 0.7 } } });
      await svcA.setPositiveClass('yesno', 'no', 'scores are P(no)', ACTOR);
      expect(await svcB.getModel('yesno')).toMatchObject({ positiveClass: 'no', gates: { staging: { min_accuracy: 0.7 } } });
      await svcA.setGates('yesno', {}, null, ACTOR);
      expect(await svcB.getModel('yesno')).toMatchObject({ positiveClass: 'no', gates: null });
      await svcA.setPositiveClass('yesno', null, null, ACTOR);
      expect(await svcB.getModel('yesno')).toMatchObject({ positiveClass: null, gates: null });
      const [cleared, , changed] = await svcA.listAudit({ model: 'yesno', limit: 3 });
      expect(cleared).toMatchObject({
        action: 'model.positive_class.update',
        before: { positive_class: 'no' },
        after: { positive_class: null },
      });
      expect(changed).toMatchObject({ action: 'model.positive_class.update', reason: 'scores are P(no)', after: { positive_class: 'no' } });
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
      await expect(svcA.setPositiveClass('nobody', 'yes', null, ACTOR)).rejects.toThrow(/nobody/);
    });

    it('refuses a second production version in the database itself, even bypassing the domain', async () => {
      await staged('uniq', ['1', '2']);
      await svcA.transition('uniq', '1', { to: 'production', reason: 't' }, ACTOR);
      // Through the store, skipping the domain's archive-the-current-one step:
      const store = new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS);
      const viaStore = store.write((tx) =>
        tx.setStage({ model: 'uniq', version: '2', from: 'staging', to: 'production', at: new Date().toISOString() }),
      );
      await expect(viaStore).rejects.toBeInstanceOf(ConflictError);
      await expect(viaStore).rejects.toThrow(/already in production/);
      // And with plain SQL, no kysely store code at all:
      await expect(
        sql`update model_versions set stage = 'production' where model = 'uniq' and version = '2'`.execute(b.db),
      ).rejects.toThrow(/unique/i);
      expect((await svcA.getVersion('uniq', '2')).stage).toBe('staging');
      // The refused write left no audit entry behind.
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('lets exactly one of many concurrent promotions of a version win', async () => {
      await staged('race', ['1']);
      const { ok, errors } = await race(
        Array.from(
          { length: 12 },
          (_, i) => () => (i % 2 ? svcA : svcB).transition('race', '1', { to: 'production', reason: `r${i}` }, ACTOR),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(errors).toHaveLength(11);
      for (const e of errors) expect(e).toBeInstanceOf(ConflictError);
      const history = await svcA.listTransitions('race', 100);
      expect(history.filter((t) => t.to === 'production')).toHaveLength(1);
    });

    it('serializes concurrent promotions of different versions: one production at the end, each replacing the last', async () => {
      const versions = ['1', '2', '3', '4', '5', '6'];
      await staged('many', versions);
      const { ok, errors } = await race(
        versions.map((v, i) => () => (i % 2 ? svcA : svcB).transition('many', v, { to: 'production', reason: 'go' }, ACTOR)),
      );
      expect(errors).toEqual([]);
      const all = await svcA.listVersions('many');
      expect(all.filter((v) => v.stage === 'production')).toHaveLength(1);
      // The promotions formed one chain: each archived the one before it.
      const archivedBy = ok.map((r) => r.archivedVersion);
      expect(archivedBy.filter((x) => x === null)).toHaveLength(1);
      expect(new Set(archivedBy.filter((x) => x !== null)).size).toBe(versions.length - 1);
    });

    it('performs one rollback for many concurrent identical alert-driven requests', async () => {
      await staged('rb', ['1', '2']);
      await svcA.transition('rb', '1', { to: 'production', reason: 't' }, ACTOR);
      await svcA.transition('rb', '2', { to: 'production', reason: 't' }, ACTOR);
      const { ok, errors } = await race(
        Array.from(
          { length: 10 },
          (_, i) => () =>
            (i % 2 ? svcA : svcB).rollback('rb', { reason: 'alert fired', fromVersion: '2', trigger: 'alert' }, 'alertmanager'),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ fromVersion: '2', toVersion: '1', trigger: 'alert' });
      expect(errors).toHaveLength(9);
      for (const e of errors) expect(e).toBeInstanceOf(StaleRollbackError);
      const rollbacks = await new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS).rollbackCounts();
      expect(rollbacks.filter((r) => r.model === 'rb')).toEqual([{ model: 'rb', trigger: 'alert', count: 1 }]);
      // Nothing further back: 1 was the first production version.
      await expect(svcB.rollback('rb', { reason: 'again', trigger: 'manual' }, ACTOR)).rejects.toThrow(/no predecessor/);
    });

    it('rolls back to the version in production before, after a demote and re-promote (case 19), by hand and by alert', async () => {
      const production = async (m: string) => (await svcA.getModel(m)).productionVersion;
      for (const m of ['cycle', 'cycle_alert']) {
        await staged(m, ['v1', 'v2']);
        await svcA.transition(m, 'v1', { to: 'production', reason: 't' }, ACTOR);
        await svcA.transition(m, 'v2', { to: 'production', reason: 't' }, ACTOR);
        await svcA.transition(m, 'v2', { to: 'staging', reason: 'recheck', allowEmptyProduction: true }, ACTOR);
        await svcB.transition(m, 'v2', { to: 'production', reason: 'recheck passed' }, ACTOR);
      }
      expect(await svcB.rollback('cycle', { reason: 'bad', trigger: 'manual' }, ACTOR)).toMatchObject({
        fromVersion: 'v2',
        toVersion: 'v1',
      });
      expect(await production('cycle')).toBe('v1');
      const viaAlert = await svcB.rollback('cycle_alert', { reason: 'alert', fromVersion: 'v2', trigger: 'alert' }, 'alertmanager');
      expect(viaAlert).toMatchObject({ fromVersion: 'v2', toVersion: 'v1', trigger: 'alert' });
    });

    it('rolls back chains: twice, then again after a new promotion, and after an archive/restore cycle', async () => {
      const production = async () => (await svcA.getModel('rb_chain')).productionVersion;
      await staged('rb_chain', ['v1', 'v2', 'v3']);
      for (const v of ['v1', 'v2', 'v3']) await svcA.transition('rb_chain', v, { to: 'production', reason: 'ship' }, ACTOR);
      expect((await svcA.rollback('rb_chain', { reason: 'bad v3', trigger: 'manual' }, ACTOR)).toVersion).toBe('v2');
      expect((await svcB.rollback('rb_chain', { reason: 'bad v2', trigger: 'manual' }, ACTOR)).toVersion).toBe('v1');
      expect(await production()).toBe('v1');
      await expect(svcA.rollback('rb_chain', { reason: 'again', trigger: 'manual' }, ACTOR)).rejects.toThrow(/no predecessor/);
      // v3 comes back through staging, is promoted, and rolled back again: to v1, not to v2.
      await svcA.transition('rb_chain', 'v3', { to: 'staging', reason: 'fixed' }, ACTOR);
      await svcA.transition('rb_chain', 'v3', { to: 'production', reason: 'fixed' }, ACTOR);
      expect((await svcA.rollback('rb_chain', { reason: 'still bad', trigger: 'manual' }, ACTOR)).toVersion).toBe('v1');
      // Archive the production version (confirmed), restore it through staging: the target survives.
      await staged('restore', ['a', 'b']);
      await svcA.transition('restore', 'a', { to: 'production', reason: 'ship' }, ACTOR);
      await svcA.transition('restore', 'b', { to: 'production', reason: 'ship' }, ACTOR);
      await svcA.transition('restore', 'b', { to: 'archived', reason: 'pause', allowEmptyProduction: true }, ACTOR);
      await svcA.transition('restore', 'b', { to: 'staging', reason: 'restore' }, ACTOR);
      await svcA.transition('restore', 'b', { to: 'production', reason: 'restore' }, ACTOR);
      expect((await svcA.rollback('restore', { reason: 'bad', trigger: 'manual' }, ACTOR)).toVersion).toBe('a');
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('moves the production version out without a replacement only when asked explicitly, and audits that', async () => {
      await staged('empty', ['v1']);
      await svcA.transition('empty', 'v1', { to: 'production', reason: 'ship' }, ACTOR);
      await expect(svcA.transition('empty', 'v1', { to: 'archived', reason: 'oops' }, ACTOR)).rejects.toThrow(/allow_empty_production/);
      expect((await svcA.getModel('empty')).productionVersion).toBe('v1');
      await svcA.transition('empty', 'v1', { to: 'archived', reason: 'retire', allowEmptyProduction: true }, ACTOR);
      expect((await svcA.getModel('empty')).productionVersion).toBeNull();
      const [entry] = await svcA.listAudit({ model: 'empty', limit: 1 });
      expect(entry).toMatchObject({ action: 'version.transition', after: { stage: 'archived', production_left_empty: true } });
    });

    it('archives (retires) a model only with nothing in production: versions archived, hidden from listings, audited (issue 14)', async () => {
      await staged('retiring', ['v1', 'v2']);
      await svcA.transition('retiring', 'v2', { to: 'production', reason: 'ship' }, ACTOR);
      const refused = await svcA.archiveModel('retiring', 'demo model', ACTOR).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused).toMatchObject({ code: 'MW_ERR_HAS_PRODUCTION', details: { production_version: 'v2' } });
      expect((await svcA.getModel('retiring')).archivedAt).toBeNull();

      await svcA.transition('retiring', 'v2', { to: 'archived', reason: 'retire', allowEmptyProduction: true }, ACTOR);
      const done = await svcA.archiveModel('retiring', 'demo model', ACTOR);
      expect(done.versions).toEqual([{ version: 'v1', stage: 'staging' }]);
      expect((await svcA.listVersions('retiring')).map((v) => v.stage)).toEqual(['archived', 'archived']);
      expect((await svcA.getModel('retiring')).archivedAt).toBe(done.at);
      expect((await svcA.listModels(1000)).map((m) => m.name)).not.toContain('retiring');
      expect((await svcA.listModels(1000, true)).map((m) => m.name)).toContain('retiring');
      await expect(svcA.archiveModel('retiring', 'again', ACTOR)).rejects.toMatchObject({ code: 'MW_ERR_MODEL_ARCHIVED' });
      await expect(svcA.registerVersion('retiring', { version: 'v3' }, ACTOR)).rejects.toMatchObject({ code: 'MW_ERR_MODEL_ARCHIVED' });
      await expect(svcA.transition('retiring', 'v1', { to: 'staging', reason: 'back' }, ACTOR)).rejects.toMatchObject({
        code: 'MW_ERR_MODEL_ARCHIVED',
      });
      const [entry] = await svcA.listAudit({ model: 'retiring', limit: 1 });
      expect(entry).toMatchObject({ action: 'model.archive', actor: ACTOR, reason: 'demo model', after: { archived_versions: ['v1'] } });
      expect((await svcA.listTransitions('retiring', 10))[0]).toMatchObject({
        version: 'v1',
        from: 'staging',
        to: 'archived',
        kind: 'retired',
      });
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });

      // Marking a model archived (or not) behind the registry's back is state the log does not explain.
      await sql`update models set archived_at = null where name = 'retiring'`.execute(a.db);
      expect(await svcA.verifyAudit()).toMatchObject({
        ok: false,
        unexplained: [{ table: 'models', key: 'retiring', problem: 'the audit log says archived' }],
      });
      await sql`update models set archived_at = ${done.at} where name = 'retiring'`.execute(a.db);
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('deletes a model only with nothing in production, with its versions and history; the log keeps it (issue 14)', async () => {
      await staged('doomed', ['v1', 'v2']);
      await svcA.transition('doomed', 'v1', { to: 'production', reason: 'ship' }, ACTOR);
      await expect(svcA.deleteModel('doomed', 'demo', ACTOR)).rejects.toMatchObject({ code: 'MW_ERR_HAS_PRODUCTION' });
      expect((await svcA.listVersions('doomed')).length).toBe(2);

      await svcA.rollback('doomed', { reason: 'x', trigger: 'manual' }, ACTOR).catch(() => undefined); // nothing to roll back to
      await svcA.transition('doomed', 'v1', { to: 'archived', reason: 'retire', allowEmptyProduction: true }, ACTOR);
      const done = await svcA.deleteModel('doomed', 'demo model', ACTOR);
      expect(done.versions).toEqual([
        { version: 'v1', stage: 'archived' },
        { version: 'v2', stage: 'staging' },
      ]);
      await expect(svcA.getModel('doomed')).rejects.toThrow(/not found/);
      for (const table of ['model_versions', 'stage_transitions'] as const) {
        const rows = await a.db.selectFrom(table).select('model').where('model', '=', 'doomed').execute();
        expect([table, rows.length]).toEqual([table, 0]);
      }
      const history = await svcA.listAudit({ model: 'doomed', limit: 100 });
      expect(history[0]).toMatchObject({
        action: 'model.delete',
        reason: 'demo model',
        before: { versions: { v1: 'archived', v2: 'staging' } },
      });
      expect(history.some((e) => e.action === 'version.register')).toBe(true);
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
      // The name is free again, and the new model starts a fresh history.
      await svcA.registerVersion('doomed', { version: 'v1' }, ACTOR);
      expect((await svcA.listVersions('doomed')).map((v) => v.stage)).toEqual(['development']);
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('never leaves an archived model with a production version when archive races a promotion on another connection', async () => {
      await staged('contested', ['v1']);
      const { ok } = await race<unknown>([
        () => svcA.archiveModel('contested', 'retire', ACTOR),
        () => svcB.transition('contested', 'v1', { to: 'production', reason: 'ship' }, ACTOR),
      ]);
      expect(ok).toHaveLength(1);
      const model = await svcA.getModel('contested');
      expect(model.archivedAt !== null && model.productionVersion !== null).toBe(false);
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('keeps one unforked audit chain under concurrent writers from two connections', async () => {
      const before = await new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS).auditHead();
      const jobs = Array.from({ length: 30 }, (_, i) => () => (i % 2 ? svcA : svcB).registerVersion('chain', { version: `v${i}` }, ACTOR));
      const { ok, errors } = await race(jobs);
      expect(errors).toEqual([]);
      expect(ok).toHaveLength(30);
      const head = await new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS).auditHead();
      // 30 registrations plus the model created by whichever came first.
      expect(head.lastId - before.lastId).toBe(31);
      const verification = await svcB.verifyAudit();
      expect(verification).toEqual({ ok: true, entries: head.lastId });
    });

    it('counts transitions and rollbacks from the database, identically on every connection', async () => {
      const fromA = await new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS).transitionCounts();
      const fromB = await new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS).transitionCounts();
      const key = (c: { model: string; from: string; to: string }) => `${c.model}:${c.from}:${c.to}`;
      const sort = <T extends { model: string; from: string; to: string }>(x: T[]) => [...x].sort((p, q) => key(p).localeCompare(key(q)));
      expect(sort(fromA)).toEqual(sort(fromB));
      expect(fromA.find((c) => c.model === 'rb' && c.from === 'staging' && c.to === 'production')?.count).toBe(2);
      // rb: 2 replaced 1 (production→archived), then the rollback archived 2.
      expect(fromA.find((c) => c.model === 'rb' && c.from === 'production' && c.to === 'archived')?.count).toBe(2);
    });

    it('issues and revokes tokens with the audit entry in the same transaction', async () => {
      const tokens = new TokenService(new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS));
      const created = await tokens.create('ci', 'operator', ACTOR);
      expect(created.token).toMatch(/^mw_[a-z0-9]{12}_/);
      const listed = await new TokenService(new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS)).list();
      expect(listed.find((t) => t.id === created.id)).toMatchObject({ name: 'ci', role: 'operator', revokedAt: null });
      await tokens.revoke(created.id, ACTOR);
      await expect(tokens.revoke(created.id, ACTOR)).rejects.toBeInstanceOf(ConflictError);
      const [last] = await svcA.listAudit({ limit: 1 });
      expect(last).toMatchObject({ action: 'token.revoke', before: { id: created.id, name: 'ci', role: 'operator' } });
    });

    it('writes a webhook subscription change and its audit entry in one transaction', async () => {
      const hooksA = new KyselyWebhookStore(a.db, TEST_AUDIT_KEYS);
      const hooksB = new KyselyWebhookStore(b.db, TEST_AUDIT_KEYS);
      const hook = {
        id: 'wh_suite000000',
        url: 'https://hooks.example.com/x',
        events: ['*'],
        secret: 'suite-secret-0123456789',
        description: 'suite',
        createdAt: new Date().toISOString(),
        createdBy: ACTOR,
      };
      // What webhooks/webhook-service.ts records of a subscription: create in after, delete in before.
      const audited = { id: hook.id, url_origin: 'https://hooks.example.com', events: hook.events, description: hook.description };
      const draft = (action: string) => ({
        at: hook.createdAt,
        actor: ACTOR,
        action,
        model: null,
        version: null,
        reason: null,
        before: action === 'webhook.delete' ? audited : null,
        after: action === 'webhook.create' ? audited : null,
      });
      const head = () => new KyselyRegistryStore(b.db, TEST_AUDIT_KEYS).auditHead();

      const start = await head();
      const aborted = hooksA.write(async (tx) => {
        await tx.insert(hook);
        await tx.appendAudit(draft('webhook.create'));
        throw new Error('abort after both writes');
      });
      await expect(aborted).rejects.toThrow('abort after both writes');
      expect((await hooksB.list()).map((h) => h.id)).not.toContain(hook.id);
      expect(await head()).toEqual(start);

      await hooksA.write(async (tx) => {
        await tx.insert(hook);
        await tx.appendAudit(draft('webhook.create'));
      });
      expect(await hooksB.list()).toContainEqual(hook);
      expect((await head()).lastId).toBe(start.lastId + 1);
      // A duplicate id is a conflict, like every other constraint violation of an audited write.
      await expect(hooksB.write((tx) => tx.insert(hook))).rejects.toBeInstanceOf(ConflictError);

      const deleted = await hooksB.write(async (tx) => {
        const found = await tx.get(hook.id);
        const gone = await tx.delete(hook.id);
        await tx.appendAudit(draft('webhook.delete'));
        return { found, gone, again: await tx.delete(hook.id), count: await tx.count() };
      });
      expect(deleted).toMatchObject({ found: hook, gone: true, again: false });
      expect(deleted.count).toBe((await hooksA.list()).length);
      const [last] = await svcA.listAudit({ limit: 1 });
      expect(last).toMatchObject({ id: start.lastId + 2, action: 'webhook.delete' });
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('keeps webhook secrets encrypted at rest, seals plaintext rows from before migration 008, re-seals after key rotation', async () => {
      const hooks = new KyselyWebhookStore(a.db, TEST_AUDIT_KEYS);
      const secret = 'sealed-secret-0123456789-ÄÖÜ';
      const hook = {
        id: 'wh_sealed00000',
        url: 'https://hooks.example.com/sealed',
        events: ['*'],
        secret,
        description: 'sealed',
        createdAt: new Date().toISOString(),
        createdBy: ACTOR,
      };
      const audited = { id: hook.id, url_origin: 'https://hooks.example.com', events: hook.events, description: hook.description };
      const entry = (action: string) => ({
        at: hook.createdAt,
        actor: ACTOR,
        action,
        model: null,
        version: null,
        reason: null,
        before: action === 'webhook.delete' ? audited : null,
        after: action === 'webhook.create' ? audited : null,
      });
      const raw = async () =>
        (await a.db.selectFrom('webhooks').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow()).secret;
      const setRaw = (value: string) => a.db.updateTable('webhooks').set({ secret: value }).where('id', '=', hook.id).execute();
      await hooks.write(async (tx) => {
        await tx.insert(hook);
        await tx.appendAudit(entry('webhook.create'));
      });

      const sealed = await raw();
      expect(sealed).toMatch(/^enc:v1:[0-9a-f]{12}:/);
      expect(sealed).not.toContain('sealed-secret');
      expect((await hooks.list()).find((h) => h.id === hook.id)?.secret).toBe(secret);

      // A row written before migration 008 holds the secret in plaintext: still read, sealed at start.
      await setRaw(secret);
      expect((await hooks.list()).find((h) => h.id === hook.id)?.secret).toBe(secret);
      expect(await hooks.sealPlaintextSecrets()).toBe(1);
      expect(await raw()).toMatch(/^enc:v1:/);
      expect(await hooks.sealPlaintextSecrets()).toBe(0);

      // An altered ciphertext is refused (GCM tag), never read as another secret.
      const current = await raw();
      const parts = current.split(':');
      parts[5] = Buffer.from(Buffer.from(parts[5], 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url');
      await setRaw(parts.join(':'));
      await expect(hooks.list()).rejects.toThrow();
      await setRaw(current);

      // Rotation: a ring with a newer key reads the old row and re-seals it under the new key.
      const rotated = keyRingOf([TEST_AUDIT_KEYS.current.secret, Buffer.from('rotated-audit-key-0123456789abcdef-0123')]);
      const hooksRotated = new KyselyWebhookStore(a.db, rotated);
      expect((await hooksRotated.list()).find((h) => h.id === hook.id)?.secret).toBe(secret);
      expect(await hooksRotated.sealPlaintextSecrets()).toBe(1);
      expect(await raw()).toMatch(new RegExp(`^enc:v1:${rotated.current.id}:`));
      expect((await hooksRotated.list()).find((h) => h.id === hook.id)?.secret).toBe(secret);
      await expect(hooks.list()).rejects.toThrow(/not in the key ring/);
      await setRaw(current);

      await hooks.write(async (tx) => {
        await tx.delete(hook.id);
        await tx.appendAudit(entry('webhook.delete'));
      });
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
    });

    it('sees every rewrite a database administrator can make (case 18), each undone before the next', async () => {
      const tokens = new TokenService(new KyselyRegistryStore(a.db, TEST_AUDIT_KEYS));
      const viewer = await tokens.create('dba-victim', 'viewer', ACTOR);
      await staged('dba', ['v1', 'v2']);
      await svcA.transition('dba', 'v1', { to: 'production', reason: 'ship' }, ACTOR);
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
      // What /metrics and the checkpoint log publish, outside the database.
      const published = await svcA.publishAuditHead();
      const rows = (await a.db.selectFrom('audit_log').selectAll().orderBy('id').execute()).map((r) => ({ ...r, id: Number(r.id) }));
      const headRow = await a.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
      const last = rows[rows.length - 1];
      expect(published).toEqual({ id: last.id, hash: last.hash });
      const setHead = (id: number, hash: string) =>
        a.db.updateTable('audit_chain_head').set({ last_id: id, last_hash: hash }).where('id', '=', 1).execute();
      const restore = async () => {
        await a.db.deleteFrom('audit_log').execute();
        for (let i = 0; i < rows.length; i += 200)
          await a.db
            .insertInto('audit_log')
            .values(rows.slice(i, i + 200))
            .execute();
        await setHead(Number(headRow.last_id), headRow.last_hash);
        expect(await svcB.verifyAudit()).toMatchObject({ ok: true });
      };
      const problems = (v: { broken?: { problem: string }[] }) => new Set((v.broken ?? []).map((b) => b.problem));
      const sha256Rechain = (prev: string, r: (typeof rows)[number]) =>
        chainHash(prev, {
          ...r,
          before: r.before === null ? null : JSON.parse(r.before),
          after: r.after === null ? null : JSON.parse(r.after),
        });

      // 1. Truncate the tail and point the head at the new tail.
      await a.db
        .deleteFrom('audit_log')
        .where('id', '>', last.id - 3)
        .execute();
      await setHead(last.id - 3, rows[rows.length - 4].hash);
      // svcA is the process that published the head; the rows and head row alone look consistent.
      let v = await svcA.verifyAudit();
      expect(v.ok).toBe(false);
      expect(problems(v)).toEqual(new Set(['head behind a published checkpoint']));
      expect(v.unexplained?.some((u) => u.table === 'model_versions' && u.key === 'dba v1')).toBe(true);
      await restore();

      // 2. Delete every row and reset the head to the genesis.
      await a.db.deleteFrom('audit_log').execute();
      await setHead(0, GENESIS_HASH);
      v = await svcA.verifyAudit();
      expect(v.ok).toBe(false);
      expect(problems(v).has('head behind a published checkpoint')).toBe(true);
      expect(v.unexplainedCount).toBeGreaterThan(10);
      await restore();

      // 3. Append a forged row whose hash is correct by the old (unkeyed) rule, and move the head.
      const forged = {
        ...last,
        id: last.id + 1,
        action: 'token.create',
        after: JSON.stringify({ id: viewer.id, name: 'dba-victim', role: 'admin' }),
        prev_hash: last.hash,
      };
      for (const keyId of [TEST_AUDIT_KEYS.current.id, null]) {
        const row = { ...forged, key_id: keyId, hash: sha256Rechain(last.hash, forged) };
        await a.db.insertInto('audit_log').values(row).execute();
        await setHead(row.id, row.hash);
        v = await svcB.verifyAudit();
        expect(v).toMatchObject({ ok: false, firstBrokenId: row.id, brokenCount: 1 });
        expect(problems(v)).toEqual(new Set([keyId === null ? 'unkeyed entry after keyed ones' : 'hash mismatch']));
        await restore();
      }

      // 4. Edit a middle row and re-chain everything after it (without the key, only sha256 is possible).
      const victim = rows[Math.floor(rows.length / 2)].id;
      let prev = rows[victim - 2].hash;
      for (const r of rows.filter((x) => x.id >= victim)) {
        const edited = r.id === victim ? { ...r, reason: 'rewritten' } : r;
        const hash = sha256Rechain(prev, edited);
        await a.db.updateTable('audit_log').set({ reason: edited.reason, prev_hash: prev, hash }).where('id', '=', r.id).execute();
        prev = hash;
      }
      await setHead(last.id, prev);
      v = await svcB.verifyAudit();
      // Every re-chained entry is reported (not only the first), and so are heads published before.
      expect(v).toMatchObject({ ok: false, firstBrokenId: victim, problem: 'hash mismatch' });
      const rechained = rows.filter((x) => x.id >= victim).map((x) => x.id);
      expect(v.broken?.filter((b) => b.problem === 'hash mismatch').map((b) => b.id)).toEqual(rechained);
      expect(v.broken?.some((b) => b.problem === 'checkpoint mismatch' && b.id === last.id)).toBe(true);
      await restore();

      // 5. State changed behind the log's back: a role, a revocation, a stage, gates, a subscription.
      await a.db.updateTable('api_tokens').set({ role: 'admin' }).where('id', '=', viewer.id).execute();
      await a.db.updateTable('model_versions').set({ stage: 'archived' }).where('model', '=', 'dba').where('version', '=', 'v2').execute();
      await a.db.updateTable('models').set({ gates: '{"staging":{}}' }).where('name', '=', 'dba').execute();
      await a.db
        .insertInto('webhooks')
        .values({
          id: 'wh_dba000000000',
          url: 'https://evil.example/x',
          events: '["*"]',
          secret: 's',
          description: '',
          created_at: last.at,
          created_by: 'dba',
        })
        .execute();
      v = await svcB.verifyAudit();
      expect(v.ok).toBe(false);
      expect(v.broken).toBeUndefined();
      expect(v.unexplained).toEqual(
        expect.arrayContaining([
          { table: 'api_tokens', key: viewer.id, problem: 'role is admin; the audit log says viewer' },
          { table: 'model_versions', key: 'dba v2', problem: 'stage is archived; the audit log says staging' },
          { table: 'models', key: 'dba', problem: 'gates differ from the last audited gate change' },
          { table: 'webhooks', key: 'wh_dba000000000', problem: 'no audit entry created this subscription' },
        ]),
      );
      await a.db.updateTable('api_tokens').set({ role: 'viewer', revoked_at: last.at }).where('id', '=', viewer.id).execute();
      v = await svcB.verifyAudit();
      expect(v.unexplained).toContainEqual({ table: 'api_tokens', key: viewer.id, problem: 'revoked without an audit entry' });
      await a.db.updateTable('api_tokens').set({ revoked_at: null }).where('id', '=', viewer.id).execute();
      await a.db.updateTable('model_versions').set({ stage: 'staging' }).where('model', '=', 'dba').where('version', '=', 'v2').execute();
      await a.db.updateTable('models').set({ gates: null }).where('name', '=', 'dba').execute();
      await a.db.deleteFrom('webhooks').where('id', '=', 'wh_dba000000000').execute();
      expect(await svcB.verifyAudit()).toMatchObject({ ok: true });

      // A checkpoint copied from the signed log line must still be in the chain.
      expect(await svcB.verifyAudit({ checkpoints: [published] })).toMatchObject({ ok: true });
      expect(await svcB.verifyAudit({ checkpoints: [{ id: published.id, hash: 'f'.repeat(64) }] })).toMatchObject({
        ok: false,
        problem: 'checkpoint mismatch',
      });
    });

    it('reports a reference profile edited, inserted or removed behind the log, naming the version and the version.reference entry', async () => {
      const refs = new ReferenceStore(a.db, TEST_AUDIT_KEYS);
      await staged('refd', ['v1', 'v2']);
      const profile = (mean: number) => JSON.stringify({ features: { amount: { kind: 'numeric', mean } } });
      const upload = (version: string, json: string) =>
        refs.put({ model: 'refd', version, profileJson: json, updatedAt: new Date().toISOString() }, ACTOR, {
          features: 1,
          droppedFeatures: 0,
          samples: 10,
        });
      const first = await upload('v1', profile(1));
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
      const setProfile = (json: string) =>
        a.db.updateTable('reference_profiles').set({ profile: json }).where('model', '=', 'refd').where('version', '=', 'v1').execute();
      const sha = (json: string) => profileDigest(json).slice(0, 12);

      // Edited in the database directly: verify fails naming the version and the entry that logged the profile.
      await setProfile(profile(2));
      let v = await svcB.verifyAudit();
      expect(v.ok).toBe(false);
      expect(v.broken).toBeUndefined();
      expect(v.unexplained).toEqual([
        {
          table: 'reference_profiles',
          key: 'refd v1',
          problem: `profile sha256 ${sha(profile(2))}… differs from ${sha(profile(1))}… logged in audit entry ${first.id} (version.reference)`,
        },
      ]);
      await setProfile(profile(1));
      expect(await svcB.verifyAudit()).toMatchObject({ ok: true });

      // A later upload supersedes: the earlier profile put back by SQL no longer matches.
      const second = await upload('v1', profile(3));
      expect(await svcA.verifyAudit()).toMatchObject({ ok: true });
      await setProfile(profile(1));
      v = await svcA.verifyAudit();
      expect(v.unexplained).toEqual([
        expect.objectContaining({ key: 'refd v1', problem: expect.stringContaining(`audit entry ${second.id} `) }),
      ]);
      await setProfile(profile(3));

      // Inserted without an upload, and deleted after one.
      await a.db
        .insertInto('reference_profiles')
        .values({ model: 'refd', version: 'v2', profile: profile(4), updated_at: new Date().toISOString() })
        .execute();
      await a.db.deleteFrom('reference_profiles').where('model', '=', 'refd').where('version', '=', 'v1').execute();
      v = await svcB.verifyAudit();
      expect(v.unexplained).toEqual(
        expect.arrayContaining([
          { table: 'reference_profiles', key: 'refd v2', problem: 'no version.reference audit entry uploaded this profile' },
          {
            table: 'reference_profiles',
            key: 'refd v1',
            problem: `profile uploaded in audit entry ${second.id} (version.reference) missing from the table`,
          },
        ]),
      );
      expect(v.unexplainedCount).toBe(2);
      await a.db.deleteFrom('reference_profiles').where('model', '=', 'refd').execute();
      // A new profile, so that the next test's dropped newest entry leaves a row it no longer explains.
      await upload('v1', profile(5));
      expect(await svcB.verifyAudit()).toMatchObject({ ok: true });
    });

    it('catches a tampered entry, a rewritten chain link and a truncated tail', async () => {
      const good = await svcA.verifyAudit();
      expect(good, JSON.stringify(good)).toMatchObject({ ok: true });
      const total = good.entries;
      const victim = Math.floor(total / 2);

      const original = await sql<{ after: string | null }>`select after from audit_log where id = ${victim}`.execute(a.db);
      await sql`update audit_log set after = ${'{"tampered":true}'} where id = ${victim}`.execute(a.db);
      // Every entry is read and every break listed; the edited entry is the only one.
      expect(await svcB.verifyAudit()).toEqual({
        ok: false,
        entries: total,
        firstBrokenId: victim,
        problem: 'hash mismatch',
        broken: [{ id: victim, problem: 'hash mismatch' }],
        brokenCount: 1,
      });
      await sql`update audit_log set after = ${original.rows[0].after} where id = ${victim}`.execute(a.db);
      expect((await svcB.verifyAudit()).ok).toBe(true);

      // Recomputing the hash of an edited row is not enough: the next entry's prev_hash breaks.
      const hashBefore = await sql<{ hash: string }>`select hash from audit_log where id = ${victim}`.execute(a.db);
      await sql`update audit_log set hash = ${'f'.repeat(64)} where id = ${victim}`.execute(a.db);
      expect(await svcB.verifyAudit()).toMatchObject({ ok: false, firstBrokenId: victim });
      await sql`update audit_log set hash = ${hashBefore.rows[0].hash} where id = ${victim}`.execute(a.db);
      expect(await svcB.verifyAudit()).toEqual({ ok: true, entries: total });

      // Dropping the newest entry leaves a consistent-looking chain; the head remembers it.
      const fresh = await harness.open();
      try {
        await sql`delete from audit_log where id = ${total}`.execute(fresh.db);
      } finally {
        await fresh.close();
      }
      // The head row, the head this process saw earlier, and the replayed state all disagree:
      // the state change the dropped entry recorded is now a row the log does not explain.
      const truncated = await svcA.verifyAudit();
      expect(truncated).toMatchObject({
        ok: false,
        entries: total - 1,
        firstBrokenId: total,
        problem: 'head mismatch',
        broken: [
          { id: total, problem: 'head mismatch' },
          { id: total, problem: 'head behind a published checkpoint' },
        ],
        brokenCount: 2,
        unexplainedCount: 1,
      });
    });
  });
}
