import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

interface Json {
  [k: string]: any;
}

/**
 * Issue 13: actions taken in the Grafana app were audited as `token:grafana`. Grafana forwards
 * the signed-in login as X-Grafana-User (`[dataproxy] send_user_header`); only the token named
 * by MODELWATCH_GRAFANA_TOKEN_ID may name the actor that way.
 */
describe('Grafana user attribution', () => {
  let s: TestServer;
  let grafana: { id: string; token: string };
  let other: string;

  const create = async (name: string) => {
    const res = await s.api('/api/v1/tokens', { method: 'POST', json: { name, role: 'operator' } });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; token: string };
  };
  const createModel = (name: string, token: string, user?: string) =>
    s.api('/api/v1/models', {
      method: 'POST',
      json: { name },
      token,
      headers: user === undefined ? {} : { 'X-Grafana-User': user },
    });
  const lastEntry = async () => ((await (await s.api('/api/v1/audit?limit=1')).json()) as Json).entries[0] as Json;

  beforeAll(async () => {
    // The designated id is configuration, so it is known only after the token exists: mint, restart.
    const first = await startTestServer();
    s = first;
    grafana = await create('grafana');
    other = (await create('ci-bot')).token;
    await first.close();
    s = await startTestServer({ MODELWATCH_DATA_DIR: first.dataDir, MODELWATCH_GRAFANA_TOKEN_ID: grafana.id });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('records the forwarded user, keeping the token id, when Grafana’s token sends it', async () => {
    expect((await createModel('attributed', grafana.token, 'editor@example.com')).status).toBe(201);
    expect(await lastEntry()).toMatchObject({
      action: 'model.create',
      actor: `grafana:editor@example.com via token:grafana (${grafana.id})`,
    });
  });

  it('decodes a UTF-8 login as Grafana sends it', async () => {
    const res = await fetch(`${s.url}/api/v1/models`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${grafana.token}`,
        'Content-Type': 'application/json',
        'X-Grafana-User': Buffer.from('zoë', 'utf8').toString('latin1'),
      },
      body: JSON.stringify({ name: 'utf8_login' }),
    });
    expect(res.status).toBe(201);
    expect((await lastEntry()).actor).toBe(`grafana:zoë via token:grafana (${grafana.id})`);
  });

  it('stays the token when Grafana sends no user (send_user_header off, anonymous)', async () => {
    expect((await createModel('unattributed', grafana.token)).status).toBe(201);
    expect((await lastEntry()).actor).toBe('token:grafana');
  });

  it('ignores the header from any other token, so nobody can name someone else', async () => {
    expect((await createModel('spoofed', other, 'admin')).status).toBe(201);
    expect((await lastEntry()).actor).toBe('token:ci-bot');
    expect((await createModel('spoofed_admin', TEST_ADMIN_TOKEN, 'someone')).status).toBe(201);
    expect((await lastEntry()).actor).toBe('admin');
  });

  it('refuses a malformed user header with 400 naming it, and writes nothing', async () => {
    const before = (await lastEntry()).id as number;
    // HTTP itself cannot carry C0 controls; a C1 control arrives as UTF-8 bytes (C2 85).
    for (const bad of ['a\xc2\x85b', 'x'.repeat(191), '\xff\xfe']) {
      const res = await createModel('never', grafana.token, bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('X-Grafana-User');
    }
    expect((await lastEntry()).id).toBe(before);
  });
});
