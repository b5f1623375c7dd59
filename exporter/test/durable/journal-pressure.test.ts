/**
 * With periodic checkpoints off (MODELWATCH_CHECKPOINT_SECONDS=0, "only at shutdown") the
 * journal still gets covered: once more than half of MODELWATCH_JOURNAL_MAX_MB is uncovered it
 * asks for a checkpoint. Before, nothing ever covered it, and after ~1 MiB (a fresh attacker's
 * case: 19 batches of 200 events) every batch answered 503 MW_ERR_JOURNAL_FULL for good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ MODELWATCH_JOURNAL_MAX_MB: '1', MODELWATCH_CHECKPOINT_SECONDS: '0' });
});
afterAll(async () => {
  await s?.close();
});

const batch = (k: number) => ({
  model: 'busy',
  version: 'v1',
  events: Array.from({ length: 200 }, (_, i) => ({
    id: `b${k}e${i}`,
    features: { amount: i * 1.5, channel: ['web', 'app', 'store'][i % 3], note: 'x'.repeat(150) },
    prediction: i % 2,
  })),
});

describe('a journal with periodic checkpoints off', () => {
  it('is covered by checkpoints it asks for, so 4 MiB of batches into a 1 MiB journal all answer 200', async () => {
    const bytes = Buffer.byteLength(JSON.stringify(batch(0)));
    const batches = Math.ceil((4 * 1024 * 1024) / bytes);
    for (let k = 0; k < batches; k++) {
      const res = await s.api('/api/v1/predictions', { method: 'POST', json: batch(k) });
      expect(res.status, `batch ${k} of ${batches}`).toBe(200);
    }
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'busy' })).toBe(200 * batches);
    expect(sample(m, 'modelwatch_checkpoints_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(m, 'modelwatch_journal_rejected_total', { reason: 'full' })).toBe(0);
    expect(sample(m, 'modelwatch_journal_bytes')).toBeLessThanOrEqual(1024 * 1024);
  }, 120_000);
});
