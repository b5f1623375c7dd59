import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
}

const HOOK_SECRET = 'audit-coverage-secret-0123456789';
// A chat-tool style URL whose path is its credential: the audit log must not keep it.
const HOOK_URL = 'http://127.0.0.1:9/services/T0/B0/pathcredential123';

/** Token and webhook administration are state changes: each is audited, refusals are not. */
describe('audit coverage of token and webhook administration', () => {
  let s: TestServer;
  let viewer: string;

  const post = (p: string, json: unknown) => s.api(p, { method: 'POST', json });
  const audit = async (): Promise<AuditEntry[]> => {
    const res = await s.api('/api/v1/audit?limit=1000', { token: viewer });
    expect(res.status).toBe(200);
    return ((await res.json()) as { entries: AuditEntry[] }).entries;
  };
  const lastId = async () => (await audit())[0]?.id ?? 0;

  beforeAll(async () => {
    s = await startTestServer({
      MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
      MODELWATCH_WEBHOOK_URL: 'http://127.0.0.1:9/env-hook',
      MODELWATCH_WEBHOOK_SECRET: 'env-webhook-secret-0123456789',
    });
    const res = await post('/api/v1/tokens', { name: 'auditor', role: 'viewer' });
    viewer = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await s.close();
  });

  it('audits token issue and revocation, never with the secret', async () => {
    const before = await lastId();
    const created = (await (await post('/api/v1/tokens', { name: 'ci-bot', role: 'operator' })).json()) as { id: string; token: string };
    expect((await s.api(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    // Refusals change nothing and leave nothing in the log.
    expect((await s.api(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await s.api('/api/v1/tokens/zzzzzzzzzzzz', { method: 'DELETE' })).status).toBe(404);
    expect((await post('/api/v1/tokens', { name: 'bad name', role: 'operator' })).status).toBe(400);

    const added = (await audit()).filter((e) => e.id > before).reverse();
    expect(added.map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
    expect(added[0]).toMatchObject({ actor: 'admin', before: null, after: { id: created.id, name: 'ci-bot', role: 'operator' } });
    expect(added[1]).toMatchObject({
      actor: 'admin',
      before: { id: created.id, name: 'ci-bot', role: 'operator' },
      after: { revoked_at: expect.any(String) },
    });
    expect(JSON.stringify(added)).not.toContain(created.token.slice(16));
    // The entries' own prev_hash/hash are the chain; what was recorded names no secret or its hash.
    expect(JSON.stringify(added.map((e) => [e.before, e.after]))).not.toMatch(/hash|secret/i);
  });

  it('audits webhook creation and deletion with the URL origin only, never the secret', async () => {
    const before = await lastId();
    const res = await post('/api/v1/webhooks', { url: HOOK_URL, events: ['model.rolled_back'], secret: HOOK_SECRET, description: 'pager' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await s.api(`/api/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api(`/api/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await s.api('/api/v1/webhooks/env', { method: 'DELETE' })).status).toBe(422);
    expect((await post('/api/v1/webhooks', { url: 'ftp://x/y', events: ['*'], secret: HOOK_SECRET })).status).toBe(400);

    const added = (await audit()).filter((e) => e.id > before).reverse();
    expect(added.map((e) => e.action)).toEqual(['webhook.create', 'webhook.delete']);
    const recorded = { id, url_origin: 'http://127.0.0.1:9', events: ['model.rolled_back'], description: 'pager' };
    expect(added[0]).toMatchObject({ actor: 'admin', before: null, after: recorded });
    expect(added[1]).toMatchObject({ actor: 'admin', before: recorded, after: null });
    const text = JSON.stringify(added);
    expect(text).not.toContain(HOOK_SECRET);
    expect(text).not.toContain('pathcredential123');
    expect(text).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('refuses a webhook past the cap without a row or an audit entry, and the chain stays whole', async () => {
    const existing = ((await (await s.api('/api/v1/webhooks')).json()) as { webhooks: { source: string }[] }).webhooks.filter(
      (w) => w.source === 'api',
    ).length;
    for (let i = existing; i < 50; i += 1) {
      expect((await post('/api/v1/webhooks', { url: `http://127.0.0.1:9/h${i}`, events: ['*'], secret: HOOK_SECRET })).status).toBe(201);
    }
    const before = await lastId();
    const refused = await post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/one-too-many', events: ['*'], secret: HOOK_SECRET });
    expect(refused.status).toBe(422);
    expect(await lastId()).toBe(before);
    const listed = ((await (await s.api('/api/v1/webhooks')).json()) as { webhooks: { url: string }[] }).webhooks;
    expect(listed.map((w) => w.url)).not.toContain('http://127.0.0.1:9/one-too-many');
    const verify = (await (await s.api('/api/v1/audit/verify', { token: viewer })).json()) as { ok: boolean; entries: number };
    expect(verify).toEqual({ ok: true, entries: before });
  });
});
