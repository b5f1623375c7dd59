import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/webhooks/signature.js';
import { alertmanagerPayload } from '../alerting/alerts.js';
import { startReceiver, type ReceivedRequest, type TestReceiver } from '../alerting/receiver.js';

const SECRET = 'ci-webhook-secret-0123456789';

function verified(req: ReceivedRequest, secret = SECRET): boolean {
  return verifySignature(
    secret,
    { signature: req.headers[SIGNATURE_HEADER] as string, timestamp: req.headers[TIMESTAMP_HEADER] as string },
    req.body,
    Math.floor(Date.now() / 1000),
  );
}

describe('outbound webhooks on registry events', () => {
  let s: TestServer;
  let receiver: TestReceiver;
  const idle = () => s.parts.relay.idle();

  beforeAll(async () => {
    receiver = await startReceiver();
    s = await startTestServer({ MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });

  it('validates subscriptions: scheme, credentials, metadata addresses; admin only; secret never shown', async () => {
    const create = (json: unknown, token?: string) => s.api('/api/v1/webhooks', { method: 'POST', json, ...(token ? { token } : {}) });
    const refused: [unknown, RegExp][] = [
      [{ url: 'ftp://example.com/x', events: ['*'], secret: SECRET }, /url: must use http or https/],
      [{ url: 'https://bot:pw@example.com/x', events: ['*'], secret: SECRET }, /url: must not contain credentials/],
      [{ url: 'http://169.254.169.254/latest/meta-data/', events: ['*'], secret: SECRET }, /url: .*link-local, metadata/],
      [{ url: 'http://metadata.google.internal/', events: ['*'], secret: SECRET }, /url: .*metadata host/],
      [{ url: receiver.url, events: ['version.deleted'], secret: SECRET }, /events\[0\]/],
      [{ url: receiver.url, events: [], secret: SECRET }, /events/],
      [{ url: receiver.url, events: ['*'], secret: 'short' }, /secret/],
    ];
    for (const [body, why] of refused) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(why);
    }
    const operator = (
      (await (await s.api('/api/v1/tokens', { method: 'POST', json: { name: 'ops', role: 'operator' } })).json()) as { token: string }
    ).token;
    expect((await create({ url: receiver.url, events: ['*'], secret: SECRET }, operator)).status).toBe(403);
    expect((await s.api('/api/v1/webhooks', { token: operator })).status).toBe(403);

    const res = await create({ url: receiver.url, events: ['*'], secret: SECRET, description: 'CI' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ url: receiver.url, events: ['*'], description: 'CI', source: 'api', created_by: 'admin' });
    const listing = await (await s.api('/api/v1/webhooks')).text();
    expect(listing).toContain(created.id as string);
    expect(JSON.stringify(created) + listing).not.toContain(SECRET);
  });

  it('delivers signed registered / transitioned / rolled_back events; refused calls send nothing', async () => {
    const before = receiver.requests.length;
    const reg = (v: string) =>
      s.api('/api/v1/models/hooked/versions', { method: 'POST', json: { version: v, metrics: { accuracy: 0.9, latency_ms: 10 } } });
    const move = (v: string, to: string) =>
      s.api(`/api/v1/models/hooked/versions/${v}/transitions`, { method: 'POST', json: { to, reason: `to ${to}` } });
    expect((await reg('1')).status).toBe(201);
    expect((await move('1', 'staging')).status).toBe(200);
    expect((await move('1', 'production')).status).toBe(200);
    expect((await reg('2')).status).toBe(201);
    expect((await move('2', 'production')).status).toBe(409); // development → production is not allowed: no event
    expect((await move('2', 'staging')).status).toBe(200);
    expect((await move('2', 'production')).status).toBe(200);
    const alert = alertmanagerPayload([
      { labels: { alertname: 'Drift', action: 'rollback', model: 'hooked', version: '2' }, fingerprint: 'ab12' },
    ]);
    expect((await s.api('/api/v1/alertmanager/webhook', { method: 'POST', json: alert })).status).toBe(200);
    await idle();

    const got = receiver.requests.slice(before);
    expect(got.every((r) => verified(r))).toBe(true);
    expect(got.some((r) => verified(r, 'another-secret-0123456789'))).toBe(false);
    const bodies = got.map((r) => JSON.parse(r.body) as { id: string; event: string; data: Record<string, unknown> });
    // delivery order across concurrent workers is not guaranteed; the set of events is
    expect(bodies.map((b) => `${b.event}:${b.data.version ?? b.data.from_version}`).sort()).toEqual(
      [
        'version.registered:1',
        'version.transitioned:1',
        'version.transitioned:1',
        'version.registered:2',
        'version.transitioned:2',
        'version.transitioned:2',
        'model.rolled_back:2',
      ].sort(),
    );
    for (const [i, r] of got.entries()) {
      expect(r.headers[EVENT_HEADER]).toBe(bodies[i].event);
      expect(r.headers[DELIVERY_HEADER]).toBe(bodies[i].id);
    }
    const promotion = bodies.find((b) => b.event === 'version.transitioned' && b.data.version === '2' && b.data.to === 'production');
    expect(promotion?.data).toMatchObject({
      model: 'hooked',
      from: 'staging',
      to: 'production',
      archived_version: '1',
      actor: 'admin',
      reason: 'to production',
    });
    const rollback = bodies.find((b) => b.event === 'model.rolled_back');
    expect(rollback?.data).toMatchObject({ model: 'hooked', from_version: '2', to_version: '1', trigger: 'alert' });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
  });

  it('a payload is the HTTP response of the same change (one presenter), secrets in URLs redacted in both', async () => {
    const before = receiver.requests.length;
    const presigned = 's3://models/presented/v1?X-Amz-Signature=0123456789abcdef0123456789abcdef';
    const registered = await s.api('/api/v1/models/presented/versions', {
      method: 'POST',
      json: { version: '1', metrics: { accuracy: 0.9, latency_ms: 10 }, lineage: { artifact_uri: presigned } },
    });
    expect(registered.status).toBe(201);
    const registeredBody = (await registered.json()) as Record<string, unknown>;
    const moved = await s.api('/api/v1/models/presented/versions/1/transitions', {
      method: 'POST',
      json: { to: 'staging', reason: 'same' },
    });
    const movedBody = (await moved.json()) as Record<string, unknown>;
    await idle();
    const bodies = receiver.requests.slice(before).map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> });
    const registration = bodies.find((b) => b.event === 'version.registered')!.data;
    expect(registration).toEqual({ ...registeredBody, actor: 'admin', at: registeredBody.created_at });
    expect(JSON.stringify(registration)).not.toContain('0123456789abcdef');
    expect(bodies.find((b) => b.event === 'version.transitioned')!.data).toEqual(movedBody);
  });

  it('retries a delivery the receiver answered with 500, with the same delivery id', async () => {
    const delivered = async () =>
      Number(
        /^modelwatch_webhook_deliveries_total\{event="version.registered",outcome="delivered"\} (\d+)$/m.exec(
          await (await s.api('/metrics', { token: null })).text(),
        )?.[1],
      );
    const deliveredBefore = await delivered();
    const before = receiver.requests.length;
    receiver.respondWith([500]);
    expect((await s.api('/api/v1/models/retried/versions', { method: 'POST', json: { version: '1' } })).status).toBe(201);
    await idle();
    const got = receiver.requests.slice(before);
    expect(got).toHaveLength(2);
    expect(got[0].headers[DELIVERY_HEADER]).toBe(got[1].headers[DELIVERY_HEADER]);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(400); // backoff, not an immediate resend
    expect(got.every((r) => verified(r))).toBe(true);
    // one delivery, delivered on its second attempt
    expect(await delivered()).toBe(deliveredBefore + 1);
  });

  it('stops delivering after DELETE', async () => {
    const { webhooks } = (await (await s.api('/api/v1/webhooks')).json()) as { webhooks: { id: string }[] };
    for (const w of webhooks) expect((await s.api(`/api/v1/webhooks/${w.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api(`/api/v1/webhooks/${webhooks[0].id}`, { method: 'DELETE' })).status).toBe(404);
    const before = receiver.requests.length;
    expect((await s.api('/api/v1/models/quiet/versions', { method: 'POST', json: { version: '1' } })).status).toBe(201);
    await idle();
    expect(receiver.requests.length).toBe(before);
  });
});

describe('webhook configured by the environment', () => {
  let receiver: TestReceiver;
  let s: TestServer | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('delivers the subscribed events only, and is listed (without its secret) but not deletable', async () => {
    s = await startTestServer({
      MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
      MODELWATCH_WEBHOOK_URL: receiver.url,
      MODELWATCH_WEBHOOK_SECRET: SECRET,
      MODELWATCH_WEBHOOK_EVENTS: 'version.transitioned',
    });
    expect(
      (await s.api('/api/v1/models/envm/versions', { method: 'POST', json: { version: '1', metrics: { accuracy: 0.9, latency_ms: 1 } } }))
        .status,
    ).toBe(201);
    expect(
      (await s.api('/api/v1/models/envm/versions/1/transitions', { method: 'POST', json: { to: 'staging', reason: 'x' } })).status,
    ).toBe(200);
    await s.parts.relay.idle();
    expect(receiver.requests.map((r) => JSON.parse(r.body).event)).toEqual(['version.transitioned']);
    expect(verified(receiver.requests[0])).toBe(true);
    const listing = await (await s.api('/api/v1/webhooks')).text();
    expect(JSON.parse(listing)).toEqual({
      webhooks: [expect.objectContaining({ id: 'env', source: 'env', url: receiver.url, events: ['version.transitioned'] })],
    });
    expect(listing).not.toContain(SECRET);
    expect((await s.api('/api/v1/webhooks/env', { method: 'DELETE' })).status).toBe(422);
  });

  it('refuses to start with a private webhook URL unless allowed, and with a metadata URL at all', async () => {
    await expect(startTestServer({ MODELWATCH_WEBHOOK_URL: receiver.url, MODELWATCH_WEBHOOK_SECRET: SECRET })).rejects.toThrow(
      /MODELWATCH_WEBHOOK_URL .*loopback or private/,
    );
    await expect(
      startTestServer({
        MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
        MODELWATCH_WEBHOOK_URL: 'http://169.254.169.254/',
        MODELWATCH_WEBHOOK_SECRET: SECRET,
      }),
    ).rejects.toThrow(/link-local, metadata/);
  });
});
