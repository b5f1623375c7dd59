import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { OutboxRow, OutboxStore } from '../../src/store/outbox-store.js';
import type { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { OutboxRelay } from '../../src/webhooks/outbox.js';

/**
 * A delivery that failed is retried after its backoff — also when the wall clock stepped back
 * (an NTP correction) meanwhile, not once the clock has caught up with the time of the failure.
 */
describe('webhook retries after the wall clock steps back', () => {
  it('a failed delivery is retried after its backoff, not hours later', async () => {
    const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    let t = T0;
    const row = {
      id: 'd1',
      webhook_id: 'h1',
      event: 'model.rolled_back',
      body: '{}',
      attempts: 0,
      status: 'pending',
      next_attempt_ms: 0,
      created_at: new Date(T0).toISOString(),
    } as unknown as OutboxRow & { status: string };
    const store = {
      pendingCount: async () => (row.status === 'pending' ? 1 : 0),
      prune: async () => {},
      due: async (now: number) => (row.status === 'pending' && Number(row.next_attempt_ms) <= now ? [{ ...row }] : []),
      claim: async (r: OutboxRow, until: number) => {
        if (r.next_attempt_ms !== row.next_attempt_ms) return false;
        row.next_attempt_ms = until;
        return true;
      },
      record: async (_id: string, u: { attempts: number; status: string; nextAttemptMs: number }) => {
        Object.assign(row, { attempts: u.attempts, status: u.status, next_attempt_ms: u.nextAttemptMs });
      },
    } as unknown as OutboxStore;
    let sent = 0;
    const dispatcher = {
      deliver: (req: {
        onAttempt: (a: { attempts: number; delivered: boolean; final: boolean; retriable: boolean; status?: number }) => void;
      }) => {
        const delivered = ++sent > 1;
        queueMicrotask(() => req.onAttempt({ attempts: 1, delivered, final: true, retriable: !delivered, status: delivered ? 200 : 503 }));
        return true;
      },
      close: async () => {},
    } as unknown as WebhookDispatcher;
    const relay = new OutboxRelay({
      store,
      dispatcher,
      targets: async () => new Map([['h1', { id: 'h1', url: 'http://127.0.0.1:9/', secret: 's' }]]),
      log: createLogger('silent'),
      nowMs: () => t,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
    });
    const poll = async () => {
      relay.wake();
      await new Promise((r) => setTimeout(r, 30));
    };
    await poll();
    expect(row).toMatchObject({ attempts: 1, status: 'pending' });
    // the clock steps back 2 h, then 2 s pass: the retry (due 0.5–1 s after the failure) goes out
    t -= 2 * 3_600_000;
    await poll();
    t += 2000;
    await poll();
    expect(row).toMatchObject({ attempts: 2, status: 'delivered' });
    await relay.close();
  });
});
