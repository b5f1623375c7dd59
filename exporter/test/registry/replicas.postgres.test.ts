import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild, type Child } from '@modelwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXPORTER_ROOT = path.resolve(HERE, '../..');
const ADMIN = 'replica-admin-token-0123456789abcdef';

interface Replica {
  url: string;
  child: Child;
}

/** An exporter process on `databaseUrl`; its fixture main prints the port it bound. */
async function startReplica(databaseUrl: string, name: string): Promise<Replica> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `modelwatch-${name}-`));
  const child = spawnChild({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(HERE, 'fixtures/replica-main.ts')],
    cwd: EXPORTER_ROOT,
    env: {
      ...process.env,
      MODELWATCH_PORT: '0',
      MODELWATCH_HOST: '127.0.0.1',
      MODELWATCH_DATA_DIR: dataDir,
      MODELWATCH_DATABASE_URL: databaseUrl,
      MODELWATCH_ADMIN_TOKEN: ADMIN,
      // Replicas sharing one database share the audit key (auth/audit-keys.ts).
      MODELWATCH_AUDIT_KEY: 'replicas-shared-audit-key-0123456789abcdef',
      MODELWATCH_LOG_LEVEL: 'warn',
    },
    ownedDirs: [dataDir],
  });
  const port = await child.waitForOutput(/\{"port":(\d+)\}/, 60_000).catch(async (err: unknown) => {
    await child.stop();
    throw err;
  });
  return { url: `http://127.0.0.1:${port[1]}`, child };
}

const skip = shouldSkipPostgres();

/** Two exporter processes on one real PostgreSQL, racing each other through the HTTP API. */
describe.skipIf(skip)('two replicas on one PostgreSQL', () => {
  let pg: TestPostgres;
  let a: Replica;
  let b: Replica;

  const call = (r: Replica, method: string, p: string, json?: unknown) =>
    fetch(r.url + p, {
      method,
      headers: { Authorization: `Bearer ${ADMIN}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
  const both = (i: number) => (i % 2 ? a : b);
  const statuses = async (reqs: Promise<Response>[]) => {
    const responses = await Promise.all(reqs);
    return Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })));
  };

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase('replicas');
    // One after the other: the first brings the schema up, the second finds it current.
    a = await startReplica(url, 'replica-a');
    b = await startReplica(url, 'replica-b');
  });
  afterAll(async () => {
    await a?.child.stop();
    await b?.child.stop();
    await pg?.stop();
  });

  it('lets exactly one of concurrent promotions and rollbacks win, and keeps the audit chain whole', async () => {
    for (const v of ['1.0', '1.1', '1.2', '1.3']) {
      expect(
        (await call(a, 'POST', '/api/v1/models/shared/versions', { version: v, metrics: { accuracy: 0.95, latency_ms: 5 } })).status,
      ).toBe(201);
      expect((await call(b, 'POST', `/api/v1/models/shared/versions/${v}/transitions`, { to: 'staging', reason: 'ready' })).status).toBe(
        200,
      );
    }

    const promotions = await statuses(
      Array.from({ length: 12 }, (_, i) =>
        call(both(i), 'POST', '/api/v1/models/shared/versions/1.0/transitions', { to: 'production', reason: `race ${i}` }),
      ),
    );
    expect(promotions.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = promotions.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(11);
    for (const l of losers)
      expect(l).toMatchObject({ status: 409, body: { error: expect.stringMatching(/already in production|concurrent/) } });

    expect((await call(b, 'POST', '/api/v1/models/shared/versions/1.1/transitions', { to: 'production', reason: 'better' })).status).toBe(
      200,
    );

    const rollbacks = await statuses(
      Array.from({ length: 10 }, (_, i) =>
        call(both(i), 'POST', '/api/v1/models/shared/rollback', { reason: 'error rate', from_version: '1.1' }),
      ),
    );
    const won = rollbacks.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0].body).toMatchObject({ from_version: '1.1', to_version: '1.0' });
    expect(rollbacks.filter((r) => r.status === 409)).toHaveLength(9);

    // Different versions promoted at once: each is a valid promotion, the database keeps one production.
    const different = await statuses(
      ['1.2', '1.3'].map((v, i) =>
        call(both(i), 'POST', `/api/v1/models/shared/versions/${v}/transitions`, { to: 'production', reason: 'go' }),
      ),
    );
    for (const r of different) expect([200, 409]).toContain(r.status);
    const versions = (await (await call(a, 'GET', '/api/v1/models/shared/versions')).json()) as {
      versions: { version: string; stage: string }[];
    };
    expect(versions.versions.filter((v) => v.stage === 'production')).toHaveLength(1);

    const verifyA = await (await call(a, 'GET', '/api/v1/audit/verify')).json();
    const verifyB = await (await call(b, 'GET', '/api/v1/audit/verify')).json();
    expect(verifyA).toMatchObject({ ok: true });
    expect(verifyB).toEqual(verifyA);
  });

  it('reports the same registry counters from both replicas', async () => {
    const registryLines = async (r: Replica) =>
      (await (await fetch(`${r.url}/metrics`)).text())
        .split('\n')
        .filter((l) => /^modelwatch_(stage_transitions_total|rollbacks_total|model_stage|model_info)\{/.test(l))
        .sort();
    const [fromA, fromB] = [await registryLines(a), await registryLines(b)];
    expect(fromA).toEqual(fromB);
    expect(fromA).toContain('modelwatch_rollbacks_total{model="shared",trigger="manual"} 1');
    expect(fromA).toContain('modelwatch_stage_transitions_total{model="shared",from="development",to="staging"} 4');
    expect(fromA).toContain('modelwatch_model_info{model="shared",team="ml"} 1');
  });

  it('names a row tampered with in PostgreSQL on either replica', async () => {
    const { rows } = await pg.query('replicas', "select id from audit_log where action = 'model.rollback'");
    const id = Number(rows[0].id);
    await pg.query('replicas', "update audit_log set actor = 'someone-else' where id = $1", [id]);
    for (const r of [a, b]) {
      expect(await (await call(r, 'GET', '/api/v1/audit/verify')).json()).toMatchObject({
        ok: false,
        first_broken_id: id,
        problem: 'hash mismatch',
      });
    }
  });
});
