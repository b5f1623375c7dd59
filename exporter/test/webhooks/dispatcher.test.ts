import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { WebhookDispatcher, type DeliveryOutcome } from '../../src/webhooks/dispatcher.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/webhooks/signature.js';
import { startReceiver, type TestReceiver } from '../alerting/receiver.js';

const log = createLogger('silent');
const message = { event: 'version.registered', occurredAt: '2026-01-01T00:00:00.000Z', data: { model: 'm', version: '1' } };

describe('webhook dispatcher against a real HTTP receiver', () => {
  let receiver: TestReceiver;
  let dispatcher: WebhookDispatcher | undefined;
  let outcomes: DeliveryOutcome[];
  beforeEach(async () => {
    receiver = await startReceiver();
    outcomes = [];
  });
  afterEach(async () => {
    await dispatcher?.close();
    await receiver.close();
  });

  function make(options: Partial<ConstructorParameters<typeof WebhookDispatcher>[0]> = {}) {
    dispatcher = new WebhookDispatcher({
      policy: { allowPrivate: true },
      log,
      baseDelayMs: 20,
      maxDelayMs: 200,
      onOutcome: (o) => outcomes.push(o),
      ...options,
    });
    return dispatcher;
  }

  it('signs the body with HMAC-SHA256 over timestamp and body, verifiable by the receiver', async () => {
    const d = make();
    expect(d.enqueue({ id: 'w1', url: receiver.url, secret: 's3cret' }, message)).toBe(true);
    const [req] = await receiver.waitFor(1);
    await d.idle();
    const header = { signature: req.headers[SIGNATURE_HEADER] as string, timestamp: req.headers[TIMESTAMP_HEADER] as string };
    expect(header.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature('s3cret', header, req.body, now)).toBe(true);
    expect(verifySignature('wrong-secret', header, req.body, now)).toBe(false);
    expect(verifySignature('s3cret', header, req.body.replace('"1"', '"2"'), now)).toBe(false);
    expect(verifySignature('s3cret', header, req.body, now + 3600)).toBe(false); // replayed an hour later
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ event: 'version.registered', occurred_at: message.occurredAt, data: message.data });
    expect(req.headers[EVENT_HEADER]).toBe('version.registered');
    expect(req.headers[DELIVERY_HEADER]).toBe(body.id);
    expect(outcomes).toEqual([expect.objectContaining({ delivered: true, attempts: 1, status: 200 })]);
  });

  it('retries after a 500 with growing delays, keeping the delivery id', async () => {
    receiver.respondWith([500, 503]);
    const d = make({ baseDelayMs: 50 });
    d.enqueue({ id: 'w1', url: receiver.url, secret: 's' }, message);
    const reqs = await receiver.waitFor(3);
    await d.idle();
    expect(new Set(reqs.map((r) => r.headers[DELIVERY_HEADER])).size).toBe(1);
    // Full jitter over [window/2, window]: first gap >= 25 ms, second >= 50 ms.
    expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(25);
    expect(reqs[2].at - reqs[1].at).toBeGreaterThanOrEqual(50);
    expect(outcomes).toEqual([expect.objectContaining({ delivered: true, attempts: 3, status: 200 })]);
  });

  it('gives up after maxAttempts, and does not retry a 4xx', async () => {
    receiver.respondWith([500, 500, 500, 500]);
    const d = make({ maxAttempts: 3 });
    d.enqueue({ id: 'w1', url: receiver.url, secret: 's' }, message);
    await d.idle();
    expect(receiver.requests).toHaveLength(3);
    expect(outcomes).toEqual([expect.objectContaining({ delivered: false, attempts: 3, status: 500 })]);

    receiver.respondWith([400]);
    d.enqueue({ id: 'w1', url: receiver.url, secret: 's' }, message);
    await d.idle();
    expect(receiver.requests).toHaveLength(4);
    expect(outcomes[1]).toMatchObject({ delivered: false, attempts: 1, status: 400 });
  });

  it('refuses to connect to a loopback receiver unless private addresses are allowed', async () => {
    const d = make({ policy: { allowPrivate: false } });
    d.enqueue({ id: 'w1', url: receiver.url, secret: 's' }, message);
    // by name too: "localhost" is resolved at connect time and refused there
    d.enqueue({ id: 'w2', url: receiver.url.replace('127.0.0.1', 'localhost'), secret: 's' }, message);
    await d.idle();
    expect(receiver.requests).toHaveLength(0);
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes)
      expect(o).toMatchObject({ delivered: false, attempts: 1, error: expect.stringMatching(/loopback or private/) });
  });

  it('bounds the queue: beyond maxPending, deliveries are dropped, not buffered', async () => {
    receiver.respondWith([500, 500, 500, 500, 500, 500]);
    const d = make({ maxPending: 2, concurrency: 1, baseDelayMs: 10_000 });
    const accepted = [1, 2, 3].map(() => d.enqueue({ id: 'w1', url: receiver.url, secret: 's' }, message));
    expect(accepted).toEqual([true, true, false]);
    expect(d.pendingCount).toBe(2);
    expect(outcomes).toEqual([expect.objectContaining({ delivered: false, error: 'queue full' })]);
  });
});
