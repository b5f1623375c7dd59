import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

// Issue 14: demo models can be removed — archive (retire) or delete a model with nothing in production, audited.
describe('archiving and deleting a model over the API and the CLI', () => {
  let s: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    for (const role of ['viewer', 'operator']) {
      const res = await s.api('/api/v1/tokens', { method: 'POST', json: { name: `${role}-1`, role } });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(async () => {
    await s.close();
  });

  const ship = async (model: string, version: string, to: string[]) => {
    expect(
      (await s.api(`/api/v1/models/${model}/versions`, { method: 'POST', json: { version, metrics: { accuracy: 0.95, latency_ms: 5 } } }))
        .status,
    ).toBe(201);
    for (const stage of to)
      expect(
        (await s.api(`/api/v1/models/${model}/versions/${version}/transitions`, { method: 'POST', json: { to: stage, reason: 'ship' } }))
          .status,
      ).toBe(200);
  };
  const archive = (model: string, token: string | undefined, json: unknown = { reason: 'retired demo model' }) =>
    s.api(`/api/v1/models/${model}/archive`, { method: 'POST', json, token });
  const remove = (model: string, token: string | undefined, reason: string | null = 'demo model') =>
    s.api(`/api/v1/models/${model}${reason === null ? '' : `?reason=${encodeURIComponent(reason)}`}`, { method: 'DELETE', token });
  const names = async (query = '') =>
    ((await (await s.api(`/api/v1/models${query}`)).json()) as { models: { name: string }[] }).models.map((m) => m.name);

  it('archive: operator or admin, 409 with a version in production, 400 without a reason; then hidden and audited', async () => {
    await ship('demo-a', '1', ['staging', 'production']);
    expect((await archive('demo-a', tokens.viewer)).status).toBe(403);
    const blocked = await archive('demo-a', tokens.operator);
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ code: 'MW_ERR_HAS_PRODUCTION', details: { production_version: '1' } });
    expect((await archive('demo-a', tokens.operator, {})).status).toBe(400);
    expect((await archive('no-such-model', tokens.operator)).status).toBe(404);

    const out = await s.api('/api/v1/models/demo-a/versions/1/transitions', {
      method: 'POST',
      json: { to: 'archived', reason: 'retire', allow_empty_production: true },
    });
    expect(out.status).toBe(200);
    const ok = await archive('demo-a', tokens.operator);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ model: 'demo-a', archived: true, deleted: false, versions: [], actor: 'token:operator-1' });
    expect(await names()).not.toContain('demo-a');
    expect(await names('?include_archived=true')).toContain('demo-a');
    expect(await (await s.api('/api/v1/models/demo-a')).json()).toMatchObject({ archived_at: expect.any(String) });
    const [entry] = ((await (await s.api('/api/v1/audit?model=demo-a&limit=1')).json()) as { entries: unknown[] }).entries;
    expect(entry).toMatchObject({ action: 'model.archive', reason: 'retired demo model' });
  });

  it('delete: admin only, 409 with a version in production, 400 without a reason; then gone, audited, verify intact', async () => {
    await ship('demo-b', '1', ['staging', 'production']);
    await ship('demo-b', '2', ['staging']);
    expect((await remove('demo-b', tokens.operator)).status).toBe(403);
    expect((await remove('demo-b', undefined)).status).toBe(409);
    expect((await remove('demo-b', undefined, null)).status).toBe(400);
    await s.api('/api/v1/models/demo-b/versions/1/transitions', {
      method: 'POST',
      json: { to: 'archived', reason: 'retire', allow_empty_production: true },
    });
    const ok = await remove('demo-b', undefined);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      deleted: true,
      versions: [
        { version: '1', stage: 'archived' },
        { version: '2', stage: 'staging' },
      ],
    });
    expect((await s.api('/api/v1/models/demo-b')).status).toBe(404);
    expect(await names('?include_archived=true')).not.toContain('demo-b');
    expect(await (await s.api('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('the CLI archives and deletes (exit 1 on a production version, as for other conflicts)', async () => {
    await ship('demo-c', '1', ['staging', 'production']);
    const env = { MODELWATCH_URL: s.url, MODELWATCH_TOKEN: TEST_ADMIN_TOKEN };
    const refused = await runCli(['archive', 'demo-c', '--reason', 'demo'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/1 is in production/);
    await s.api('/api/v1/models/demo-c/versions/1/transitions', {
      method: 'POST',
      json: { to: 'archived', reason: 'retire', allow_empty_production: true },
    });
    await ship('demo-c', '2', []);
    const archived = await runCli(['archive', 'demo-c', '--reason', 'demo'], env);
    expect([archived.code, archived.stdout.trim()]).toEqual([0, 'demo-c: archived; versions archived: 2 (was development)']);
    // `models` leaves the archived model out as GET /models does; --include-archived lists it with when.
    const listed = await runCli(['models'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(/^demo-c\s/m);
    expect(listed.stdout).not.toMatch(/ARCHIVED/);
    const all = await runCli(['models', '--include-archived'], env);
    expect(all.code, all.stderr).toBe(0);
    const archivedAt = ((await (await s.api('/api/v1/models/demo-c')).json()) as { archived_at: string }).archived_at;
    expect(all.stdout).toMatch(/^MODEL\s+TEAM\s+PRODUCTION\s+GATES\s+CREATED\s+ARCHIVED$/m);
    expect(
      all.stdout
        .split('\n')
        .find((l) => l.startsWith('demo-c '))
        ?.endsWith(` ${archivedAt}`),
    ).toBe(true);
    const allJson = JSON.parse((await runCli(['models', '--include-archived', '--json'], env)).stdout) as {
      models: { name: string; archived_at: string | null }[];
    };
    expect(allJson.models.map((m) => m.name)).toEqual(await names('?include_archived=true'));
    expect(allJson.models.find((m) => m.name === 'demo-c')?.archived_at).toBe(archivedAt);
    const limited = JSON.parse((await runCli(['models', '--include-archived', '--limit', '1', '--json'], env)).stdout) as {
      models: { name: string }[];
    };
    expect(limited.models.map((m) => m.name)).toEqual((await names('?include_archived=true')).slice(0, 1));
    const badLimit = await runCli(['models', '--limit', '0'], env);
    // A 400 is a usage error for the CLI (exit 2), with the exporter's message naming the field.
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/limit/);
    const deleted = await runCli(['delete', 'demo-c', '--reason', 'demo', '--json'], env);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ model: 'demo-c', deleted: true });
  });
});
