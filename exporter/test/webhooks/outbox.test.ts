import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedWrite } from '../../src/store/audited-write.js';
import { auditDraft } from '../../src/registry/audit-draft.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { startReceiver, type TestReceiver } from '../alerting/receiver.js';

const SECRET = 'outbox-webhook-secret-0123456789';

describe('webhook outbox', () => {
  let s: TestServer;
  let receiver: TestReceiver;
  let hook: string;
  const relay = () => s.parts.relay;
  const rows = () => s.parts.database.db.selectFrom('webhook_outbox').selectAll().orderBy('created_at').execute();

  beforeAll(async () => {
    receiver = await startReceiver();
    s = await startTestServer({ MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true' });
    const res = await s.api('/api/v1/webhooks', { method: 'POST', json: { url: receiver.url, events: ['*'], secret: SECRET } });
    hook = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });

  it('writes the delivery in the transaction of the change: a rolled-back change leaves no row', async () => {
    const before = (await rows()).length;
    await expect(
      auditedWrite(s.parts.database.db, s.parts.auditKeys, async (_tx, append) => {
        await append(
          auditDraft(new Date().toISOString(), 'test', 'version.register', {
            model: 'ghost',
            version: 'v1',
            after: { stage: 'development' },
          }),
        );
        throw new Error('the change fails after its audit entry');
      }),
    ).rejects.toThrow(/fails/);
    expect((await rows()).length).toBe(before);
    // A refused transition (unknown version) writes nothing either.
    expect(
      (await s.api('/api/v1/models/m/versions/nope/transitions', { method: 'POST', json: { to: 'staging', reason: 'x' } })).status,
    ).toBe(404);
    expect((await rows()).length).toBe(before);
    // A committed change has its row at once, before any delivery was attempted.
    expect(
      (await s.api('/api/v1/models/m/versions', { method: 'POST', json: { version: 'v1', metrics: { accuracy: 0.95, latency_ms: 10 } } }))
        .status,
    ).toBe(201);
    const after = await rows();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ webhook_id: hook, event: 'version.registered' });
    await relay().idle();
    const [req] = await receiver.waitFor(1);
    expect(req.headers['x-modelwatch-delivery']).toBe(after.at(-1)!.id);
    expect(JSON.parse(req.body)).toMatchObject({ id: after.at(-1)!.id, event: 'version.registered', data: { model: 'm', version: 'v1' } });
  });

  it('records attempts, status and the last error; admins list them per subscription', async () => {
    receiver.respondWith([503, 500]);
    const n = receiver.requests.length;
    expect(
      (await s.api('/api/v1/models/m/versions/v1/transitions', { method: 'POST', json: { to: 'staging', reason: 'ok' } })).status,
    ).toBe(200);
    await relay().idle();
    await receiver.waitFor(n + 3);
    const res = await s.api(`/api/v1/webhooks/${hook}/deliveries?limit=1`);
    expect(res.status).toBe(200);
    const { deliveries } = (await res.json()) as { deliveries: Array<Record<string, unknown>> };
    expect(deliveries).toEqual([
      expect.objectContaining({
        event: 'version.transitioned',
        status: 'delivered',
        attempts: 3,
        last_status: 200,
        finished_at: expect.any(String),
      }),
    ]);
    const ids = new Set(receiver.requests.slice(n).map((r) => r.headers['x-modelwatch-delivery']));
    expect(ids).toEqual(new Set([deliveries[0].id]));

    receiver.respondWith([400]);
    expect(
      (await s.api('/api/v1/models/m/versions/v1/transitions', { method: 'POST', json: { to: 'development', reason: 'back' } })).status,
    ).toBe(200);
    await relay().idle();
    const failed = ((await (await s.api(`/api/v1/webhooks/${hook}/deliveries`)).json()) as { deliveries: Array<Record<string, unknown>> })
      .deliveries[0];
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, last_status: 400, last_error: 'HTTP 400' });

    const operator = (
      (await (await s.api('/api/v1/tokens', { method: 'POST', json: { name: 'ops', role: 'operator' } })).json()) as { token: string }
    ).token;
    expect((await s.api(`/api/v1/webhooks/${hook}/deliveries`, { token: operator })).status).toBe(403);
    expect((await s.api('/api/v1/webhooks/wh_AAAAAAAAAAAA/deliveries')).status).toBe(404);
    expect((await s.api(`/api/v1/webhooks/${hook}/deliveries?limit=0`)).status).toBe(400);
  });
});
