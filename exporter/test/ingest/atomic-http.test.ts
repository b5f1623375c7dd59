import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassificationState } from '../../src/stats/index.js';
import { useIngestServer } from './helpers.js';

/**
 * Issue 11 §1 through the real server: a fault while a batch is applied answers a JSON 500 that
 * names MW_ERR_BATCH_NOT_APPLIED and says a retry is safe; /metrics shows nothing of the batch
 * (only the failure counter moves); other models still ingest; the retry counts the batch once.
 */
describe('a batch that fails half-way over HTTP', () => {
  const fx = useIngestServer();
  const { post } = fx;
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Every event labelled at once: nothing waits, so no gauge moves with the clock between scrapes.
  const batch = (model: string, from: number, n: number) => ({
    model,
    version: 'v1',
    events: Array.from({ length: n }, (_, i) => ({
      id: `e${from + i}`,
      features: {},
      prediction: i % 3 ? 'yes' : 'no',
      score: ((from + i) % 10) / 10,
      label: i % 2 ? 'yes' : 'no',
      latency_ms: 5 + i,
    })),
    positive_class: 'yes',
  });
  /** The modelwatch_ series of /metrics but the failure counter (process_* and nodejs_* move by themselves). */
  const monitoring = async () => {
    const text = await (await fx.s.api('/metrics')).text();
    const lines = text.split('\n').filter((l) => l.startsWith('modelwatch_'));
    return {
      state: lines.filter((l) => !l.startsWith('modelwatch_ingest_failures_total')).join('\n'),
      failures: lines.filter((l) => l.startsWith('modelwatch_ingest_failures_total')),
    };
  };

  it('answers 500 MW_ERR_BATCH_NOT_APPLIED, applies nothing, keeps other models ingesting, and the retry counts once', async () => {
    expect((await post('/api/v1/predictions', batch('steady', 0, 20))).status).toBe(200);
    expect((await post('/api/v1/predictions', batch('faulty', 0, 20))).status).toBe(200);
    const before = await monitoring();
    expect(before.failures).toContain('modelwatch_ingest_failures_total{endpoint="predictions"} 0');

    // The 15th window-state update of the next batch throws: 14 were applied before it.
    const add = ClassificationState.prototype.add;
    let calls = 0;
    vi.spyOn(ClassificationState.prototype, 'add').mockImplementation(function (this: ClassificationState, ...args) {
      if (++calls === 15) throw new Error('injected fault');
      return add.apply(this, args);
    });
    const res = await post('/api/v1/predictions', batch('faulty', 100, 30));
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'error']);
    expect(body.code).toBe('MW_ERR_BATCH_NOT_APPLIED');
    expect(body.error).toMatch(/nothing of it was applied, so sending it again is safe/);
    expect(String(body.error)).not.toMatch(/injected|\bat \S+:\d+/); // no cause, no stack
    vi.restoreAllMocks();

    const after = await monitoring();
    expect(after.state).toBe(before.state);
    expect(after.failures).toContain('modelwatch_ingest_failures_total{endpoint="predictions"} 1');

    // Other models (and this one) still ingest; the retry counts the batch exactly once.
    const other = await post('/api/v1/predictions', batch('steady', 100, 5));
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ accepted: 5, dropped: {} });
    const retry = await post('/api/v1/predictions', batch('faulty', 100, 30));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ accepted: 30, dropped: {} });
    const text = await (await fx.s.api('/metrics')).text();
    expect(text).toContain('modelwatch_predictions_total{model="faulty",version="v1"} 50');
    expect(text).toContain('modelwatch_ingested_events_total{endpoint="predictions"} 75');
  });
});
