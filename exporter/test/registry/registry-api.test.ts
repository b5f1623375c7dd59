import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

interface Json {
  [k: string]: any;
}

describe('registry API on SQLite', () => {
  let s: TestServer;
  const tokens: Record<string, string> = {};

  const post = (p: string, json: unknown, token?: string | null) => s.api(p, { method: 'POST', json, token });
  const move = (model: string, version: string, to: string, extra: Json = {}, token?: string) =>
    post(`/api/v1/models/${model}/versions/${version}/transitions`, { to, reason: `to ${to}`, ...extra }, token);
  const body = async (res: Response) => (await res.json()) as Json;

  beforeAll(async () => {
    s = await startTestServer();
    for (const role of ['viewer', 'ingest', 'operator', 'admin']) {
      const res = await post('/api/v1/tokens', { name: `${role}-bot`, role });
      expect(res.status).toBe(201);
      tokens[role] = (await body(res)).token;
    }
  });
  afterAll(async () => {
    await s.close();
  });

  describe('access', () => {
    it('refuses missing and bad tokens with 401', async () => {
      expect((await s.api('/api/v1/models', { token: null })).status).toBe(401);
      expect((await s.api('/api/v1/models', { token: 'mw_abcdefghijkl_' + 'x'.repeat(43) })).status).toBe(401);
    });

    it('lets each role do what it may and no more', async () => {
      expect((await s.api('/api/v1/models', { token: tokens.viewer })).status).toBe(200);
      expect((await post('/api/v1/models', { name: 'acl_model' }, tokens.viewer)).status).toBe(403);
      expect((await post('/api/v1/models', { name: 'acl_model' }, tokens.ingest)).status).toBe(403);
      expect((await post('/api/v1/models', { name: 'acl_model' }, tokens.operator)).status).toBe(201);
      expect((await s.api('/api/v1/models/acl_model/gates', { method: 'PUT', json: { staging: {} }, token: tokens.operator })).status).toBe(
        403,
      );
      expect((await s.api('/api/v1/tokens', { token: tokens.operator })).status).toBe(403);
      expect((await s.api('/api/v1/audit', { token: tokens.viewer })).status).toBe(200);
    });

    it('lists tokens without secrets or hashes, and revoked tokens stop working', async () => {
      const list = await body(await s.api('/api/v1/tokens'));
      const text = JSON.stringify(list);
      // mw_<12-char id>_<secret>; the secret itself may contain '_'.
      for (const t of Object.values(tokens)) expect(text).not.toContain(t.slice(16));
      expect(text).not.toMatch(/hash|secret/);
      const created = await body(await post('/api/v1/tokens', { name: 'short-lived', role: 'viewer' }));
      expect((await s.api('/api/v1/models', { token: created.token })).status).toBe(200);
      const revoked = await s.api(`/api/v1/tokens/${created.id}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect((await body(revoked)).revoked_at).toEqual(expect.any(String));
      expect((await s.api('/api/v1/models', { token: created.token })).status).toBe(401);
      expect((await s.api(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(409);
      expect((await s.api('/api/v1/tokens/zzzzzzzzzzzz', { method: 'DELETE' })).status).toBe(404);
    });
  });

  describe('validation', () => {
    it('answers bad input with 400 naming the field', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['/api/v1/models', { name: '../etc' }, /name/],
        ['/api/v1/models', { name: 'ok', team: 'bad team' }, /team/],
        ['/api/v1/models/m1/versions', { version: '1/2' }, /version/],
        ['/api/v1/models/m1/versions', { version: '1', metrics: { accuracy: 1.5 } }, /metrics\.accuracy/],
        ['/api/v1/models/m1/versions', { version: '1', metrics: { accuracy: 'high' } }, /metrics\.accuracy/],
        ['/api/v1/models/m1/versions', { version: '1', lineage: { artifact_uri: 'javascript:alert(1)' } }, /lineage\.artifact_uri/],
        ['/api/v1/models/m1/versions', { version: '1', lineage: { artifact_uri: 's3://b/' + 'k'.repeat(3000) } }, /lineage\.artifact_uri/],
        ['/api/v1/models/m1/versions', { version: '1', lineage: { unknown_field: 1 } }, /lineage/],
        ['/api/v1/models/m1/versions', { version: '1', lineage: { parent_version: '0.9' } }, /lineage\.parent_version/],
        ['/api/v1/models/m1/versions/1/transitions', { to: 'heaven', reason: 'x' }, /to/],
        ['/api/v1/models/m1/rollback', { reason: '' }, /reason/],
      ];
      for (const [p, json, field] of cases) {
        const res = await post(p, json);
        expect(res.status, `${p} ${JSON.stringify(json)}`).toBe(400);
        expect((await body(res)).error).toMatch(field);
      }
      // Nothing was half-applied: the version whose parent was missing did not create m1.
      expect((await s.api('/api/v1/models/m1')).status).toBe(404);
      expect((await s.api('/api/v1/models/bad%2Fname')).status).toBe(400);
      expect((await s.api('/api/v1/models/nope/versions/1')).status).toBe(404);
      const noJson = await s.api('/api/v1/models', { method: 'POST', body: 'name=x', headers: { 'Content-Type': 'text/plain' } });
      expect(noJson.status).toBe(415);
    });

    it('refuses duplicates and stage moves the machine does not allow with 409', async () => {
      expect((await post('/api/v1/models/dup/versions', { version: '1' })).status).toBe(201);
      expect((await post('/api/v1/models/dup/versions', { version: '1' })).status).toBe(409);
      expect((await post('/api/v1/models', { name: 'dup' })).status).toBe(409);
      const skip = await move('dup', '1', 'production');
      expect(skip.status).toBe(409);
      expect((await body(skip)).error).toMatch(/cannot move from development to production/);
    });
  });

  describe('promotion, rollback and gates', () => {
    const reg = (v: string, accuracy: number, latency_ms: number, lineage: Json = {}) =>
      post('/api/v1/models/churn/versions', { version: v, metrics: { accuracy, latency_ms, auc: 0.9 }, lineage });
    const stageOf = async (v: string) => (await body(await s.api(`/api/v1/models/churn/versions/${v}`))).stage;

    it('archives the replaced production version and rolls back to it', async () => {
      expect((await post('/api/v1/models', { name: 'churn', team: 'growth', description: 'churn risk' })).status).toBe(201);
      const r = await reg('2.0', 0.9, 20, {
        data_version: 'd1',
        code_commit: 'abc123',
        hyperparameters: { lr: 0.01, deep: true },
        environment: { python: '3.11' },
        artifact_uri: 's3://models/churn/2.0',
        tags: { owner: 'ana' },
      });
      expect(r.status).toBe(201);
      expect((await body(r)).lineage).toEqual({
        data_version: 'd1',
        code_commit: 'abc123',
        hyperparameters: { lr: 0.01, deep: true },
        environment: { python: '3.11' },
        artifact_uri: 's3://models/churn/2.0',
        tags: { owner: 'ana' },
      });
      expect((await reg('2.1', 0.92, 15, { parent_version: '2.0' })).status).toBe(201);
      for (const v of ['2.0', '2.1']) expect((await move('churn', v, 'staging')).status).toBe(200);
      expect((await move('churn', '2.0', 'production', {}, tokens.operator)).status).toBe(200);
      const second = await body(await move('churn', '2.1', 'production', {}, tokens.operator));
      expect(second).toMatchObject({ from: 'staging', to: 'production', archived_version: '2.0', actor: 'token:operator-bot' });
      expect(await stageOf('2.0')).toBe('archived');
      expect((await body(await s.api('/api/v1/models/churn/versions/2.1'))).predecessor).toBe('2.0');

      // A rollback pinned to a version not in production does nothing.
      const stale = await post('/api/v1/models/churn/rollback', { reason: 'alert', from_version: '2.0' }, tokens.operator);
      expect(stale.status).toBe(409);
      expect(await body(stale)).toMatchObject({
        error: expect.stringMatching(/no longer in production/),
        details: { current_production: '2.1' },
      });

      const rb = await post('/api/v1/models/churn/rollback', { reason: 'latency regression', from_version: '2.1' }, tokens.operator);
      expect(rb.status).toBe(200);
      expect(await body(rb)).toMatchObject({ from_version: '2.1', to_version: '2.0', trigger: 'manual' });
      expect(await stageOf('2.0')).toBe('production');
      expect(await stageOf('2.1')).toBe('archived');
      // The same request again is refused: one rollback, not two.
      expect(
        (await post('/api/v1/models/churn/rollback', { reason: 'latency regression', from_version: '2.1' }, tokens.operator)).status,
      ).toBe(409);
      // 2.0 had no predecessor of its own.
      expect((await post('/api/v1/models/churn/rollback', { reason: 'again' })).status).toBe(409);

      const history = (await body(await s.api('/api/v1/models/churn/transitions'))).transitions as Json[];
      expect(history.slice(0, 2).map((t) => [t.version, t.from, t.to, t.kind, t.trigger])).toEqual([
        ['2.0', 'archived', 'production', 'rollback', 'manual'],
        ['2.1', 'production', 'archived', 'rollback', 'manual'],
      ]);
    });

    it('lets an admin override gates per model and force past them, both audited', async () => {
      expect((await reg('3.0', 0.7, 200)).status).toBe(201);
      const refused = await move('churn', '3.0', 'staging');
      expect(refused.status).toBe(422);
      expect((await body(refused)).details).toEqual([
        { gate: 'max_latency_ms', metric: 'latency_ms', required: 100, actual: 200 },
        { gate: 'min_accuracy', metric: 'accuracy', required: 0.8, actual: 0.7 },
      ]);
      expect((await move('churn', '3.0', 'staging', { force: true }, tokens.operator)).status).toBe(403);

      const gates = await s.api('/api/v1/models/churn/gates', {
        method: 'PUT',
        json: { staging: { min_accuracy: 0.6, max_latency_ms: 250, min_auc: 0.95 }, reason: 'experiment' },
      });
      expect(gates.status).toBe(200);
      expect(await body(gates)).toEqual({
        model: 'churn',
        gates: {
          staging: { min_accuracy: 0.6, max_latency_ms: 250, min_auc: 0.95 },
          production: { min_accuracy: 0.85, max_latency_ms: 50 },
        },
        overridden: { staging: true, production: false },
      });
      const stillRefused = await move('churn', '3.0', 'staging');
      expect((await body(stillRefused)).details).toEqual([{ gate: 'min_auc', metric: 'auc', required: 0.95, actual: 0.9 }]);

      const forced = await move('churn', '3.0', 'staging', { force: true, reason: 'auc gate under review' }, tokens.admin);
      expect(forced.status).toBe(200);
      expect(await body(forced)).toMatchObject({ forced: true, skipped_gates: [{ gate: 'min_auc', actual: 0.9 }] });

      const audit = (await body(await s.api('/api/v1/audit?model=churn&limit=3'))).entries as Json[];
      expect(audit[0]).toMatchObject({
        action: 'version.transition.forced',
        actor: 'token:admin-bot',
        reason: 'auc gate under review',
        version: '3.0',
        before: { stage: 'development' },
        after: { stage: 'staging' },
      });
      expect(audit[1]).toMatchObject({ action: 'model.gates.update', actor: 'admin', reason: 'experiment' });
      expect(audit[1].after.gates.staging).toEqual({ min_accuracy: 0.6, max_latency_ms: 250, min_auc: 0.95 });
    });

    it('exposes registry series on /metrics from the database', async () => {
      const text = await (await s.api('/metrics', { token: null })).text();
      expect(text).toContain('modelwatch_model_info{model="churn",team="growth"} 1');
      expect(text).toContain('modelwatch_model_stage{model="churn",version="2.0",stage="production"} 1');
      expect(text).toContain('modelwatch_model_stage{model="churn",version="2.1",stage="production"} 0');
      expect(text).toContain('modelwatch_model_stage{model="churn",version="2.1",stage="archived"} 1');
      expect(text).toContain('modelwatch_model_validation_accuracy_ratio{model="churn",version="2.1"} 0.92');
      expect(text).toContain('modelwatch_stage_transitions_total{model="churn",from="staging",to="production"} 2');
      expect(text).toContain('modelwatch_stage_transitions_total{model="churn",from="production",to="archived"} 2');
      expect(text).toContain('modelwatch_rollbacks_total{model="churn",trigger="manual"} 1');
    });
  });

  describe('audit log', () => {
    it('pages newest first with a before cursor', async () => {
      const first = await body(await s.api('/api/v1/audit?limit=2'));
      expect(first.entries).toHaveLength(2);
      expect(first.entries[0].id).toBeGreaterThan(first.entries[1].id);
      const next = await body(await s.api(`/api/v1/audit?limit=2&before=${first.next_before}`));
      expect(next.entries[0].id).toBe(first.entries[1].id - 1);
    });

    it('verifies, then names the first tampered entry', async () => {
      const ok = await body(await s.api('/api/v1/audit/verify'));
      expect(ok.ok).toBe(true);
      const total = ok.entries as number;
      expect(total).toBeGreaterThan(10);
      const target = (await body(await s.api('/api/v1/audit?model=churn&limit=1000'))).entries.find(
        (e: Json) => e.action === 'model.gates.update',
      );
      // Edit a row behind the exporter's back, as an attacker with database access would.
      const db = new Database(path.join(s.dataDir, 'modelwatch.sqlite'));
      try {
        db.prepare('UPDATE audit_log SET reason = ? WHERE id = ?').run('nothing to see', target.id);
      } finally {
        db.close();
      }
      const broken = await body(await s.api('/api/v1/audit/verify'));
      expect(broken).toMatchObject({ ok: false, first_broken_id: target.id, problem: 'hash mismatch' });
      // Verification reads on past a break and lists every one: here the edited entry alone.
      expect(broken.entries).toBe(total);
      expect(broken).toMatchObject({ broken_count: 1, broken: [{ id: target.id, problem: 'hash mismatch' }] });
    });
  });
});

describe('registry metrics bounds and OpenAPI', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_MAX_VERSIONS_PER_MODEL: '2', MODELWATCH_MAX_MODELS: '1' });
  });
  afterAll(async () => {
    await s.close();
  });

  it('exposes at most the configured versions and models', async () => {
    for (const v of ['1', '2', '3', '4']) {
      expect(
        (await s.api('/api/v1/models/aaa/versions', { method: 'POST', json: { version: v, metrics: { accuracy: 0.9 } } })).status,
      ).toBe(201);
    }
    expect((await s.api('/api/v1/models/bbb/versions', { method: 'POST', json: { version: '1' } })).status).toBe(201);
    const text = await (await s.api('/metrics', { token: null })).text();
    const versions = new Set(
      [...text.matchAll(/^modelwatch_model_stage\{model="([^"]+)",version="([^"]+)"/gm)].map((m) => `${m[1]}/${m[2]}`),
    );
    expect(versions.size).toBe(2);
    expect([...versions].every((v) => v.startsWith('aaa/'))).toBe(true);
    expect(text).not.toContain('model="bbb"');
  });

  it('documents every registry endpoint in the OpenAPI document', async () => {
    const doc = (await (await s.api('/api/v1/openapi.json', { token: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: [string, string][] = [
      ['/api/v1/models', 'get'],
      ['/api/v1/models', 'post'],
      ['/api/v1/models/{model}', 'get'],
      ['/api/v1/models/{model}/versions', 'get'],
      ['/api/v1/models/{model}/versions', 'post'],
      ['/api/v1/models/{model}/versions/{version}', 'get'],
      ['/api/v1/models/{model}/versions/{version}/transitions', 'post'],
      ['/api/v1/models/{model}/rollback', 'post'],
      ['/api/v1/models/{model}/transitions', 'get'],
      ['/api/v1/models/{model}/gates', 'put'],
      ['/api/v1/audit', 'get'],
      ['/api/v1/audit/verify', 'get'],
      ['/api/v1/tokens', 'post'],
      ['/api/v1/tokens', 'get'],
      ['/api/v1/tokens/{id}', 'delete'],
    ];
    for (const [p, method] of expected) expect(doc.paths[p]?.[method], `${method} ${p}`).toBeDefined();
  });
});
