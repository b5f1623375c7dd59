/**
 * A timestamp far ahead of the exporter's clock (1e11 s is the year 5138; 9999-12-31) is a
 * client bug, not a prediction: the batch is refused with a 400 naming events[i].timestamp and
 * nothing of it is applied. Within MAX_CLOCK_SKEW_SECONDS a client clock running ahead is normal
 * and the event counts at arrival time.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_SECONDS } from '../../src/ingest/event-time.js';
import { detailsOf, sample, useIngestServer } from './helpers.js';

describe('timestamps ahead of the clock', () => {
  const fx = useIngestServer();
  const post = (events: unknown[]) => fx.predictions('clock', events);
  const nowSeconds = () => Date.now() / 1000;

  it('refuses 1e11 s and year 9999 with a 400 naming events[i].timestamp; nothing applied', async () => {
    expect((await post([{ id: 'a', prediction: 'x' }])).status).toBe(200);
    const before = await fx.scrape();
    for (const ts of [1e11, '9999-12-31T00:00:00Z', nowSeconds() + MAX_CLOCK_SKEW_SECONDS + 3600]) {
      const res = await post([
        { id: 'b', prediction: 'x' },
        { id: 'c', prediction: 'x', timestamp: ts },
      ]);
      expect(res.status, String(ts)).toBe(400);
      const details = (await detailsOf(res))!;
      expect(details.map((d) => d.path)).toEqual(['events[1].timestamp']);
      expect(details[0].message).toMatch(/ahead of the exporter's clock/);
    }
    const after = await fx.scrape();
    expect(sample(after, 'modelwatch_predictions_total', { model: 'clock' })).toBe(1);
    expect(sample(after, 'modelwatch_model_window_predictions', { model: 'clock' })).toBe(
      sample(before, 'modelwatch_model_window_predictions', { model: 'clock' }),
    );
  });

  it('accepts a clock running up to MAX_CLOCK_SKEW_SECONDS ahead, counted at arrival', async () => {
    const res = await post([{ id: 'd', prediction: 'x', timestamp: nowSeconds() + MAX_CLOCK_SKEW_SECONDS / 2 }]);
    expect(res.status).toBe(200);
    const m = await fx.scrape();
    expect(sample(m, 'modelwatch_model_window_predictions', { model: 'clock' })).toBe(2);
  });
});
