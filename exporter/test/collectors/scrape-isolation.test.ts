import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Exposition, ScrapeErrors, type Collector } from '../../src/collectors/collector.js';
import { advanceWindows } from '../../src/ingest/window-clock.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { parseExposition, sample } from '../ingest/helpers.js';

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(lines: Array<Record<string, unknown>>) {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'info' }, stream);
}

const event = (id: string, x: number) => ({ id, features: { x }, prediction: 'a', label: 'a', latency_ms: 5 });

describe('one version that cannot be rendered (issue 11)', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('is left out, logged once and counted, while every other model still renders', async () => {
    const logs: Array<Record<string, unknown>> = [];
    s = await startTestServer({}, { log: capturingLogger(logs) });
    for (const model of ['healthy', 'broken'])
      expect(
        (await s.api('/api/v1/predictions', { method: 'POST', json: { model, version: 'v1', events: [event('e1', 1)] } })).status,
      ).toBe(200);
    // Injected failure: reading the broken version's feature trackers throws.
    const broken = s.parts.monitor.models.get('broken')!.versions.get('v1')!;
    const trackers = broken.trackers;
    Object.defineProperty(broken, 'trackers', {
      configurable: true,
      get() {
        throw new Error('injected render failure');
      },
    });
    broken.revision++;

    for (const round of [1, 2]) {
      const res = await s.api('/metrics', { token: null });
      expect(res.status).toBe(200);
      const series = parseExposition(await res.text());
      expect(sample(series, 'modelwatch_predictions_total', { model: 'healthy', version: 'v1' })).toBe(1);
      expect(sample(series, 'modelwatch_predictions_total', { model: 'broken', version: 'v1' })).toBeUndefined();
      expect(sample(series, 'modelwatch_scrape_errors_total', { collector: 'monitoring' })).toBe(round);
      expect(sample(series, 'modelwatch_scrape_errors_total', { collector: 'registry' })).toBe(0);
    }
    const logged = logs.filter((l) => l.collector === 'monitoring');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ model: 'broken', version: 'v1' });
    // Healed, the version renders again (and the final checkpoint at close can read it).
    Object.defineProperty(broken, 'trackers', { value: trackers, writable: true, configurable: true, enumerable: true });
    broken.revision++;
    const healed = parseExposition(await (await s.api('/metrics', { token: null })).text());
    expect(sample(healed, 'modelwatch_predictions_total', { model: 'broken', version: 'v1' })).toBe(1);
  });
});

describe('a collector that throws', () => {
  it('loses only its own families; the rest of the scrape is served and the failure counted', async () => {
    const good: Collector = {
      name: 'good',
      collect: (out) => void out.family({ name: 'good_total', type: 'counter', help: 'good' }).sample(undefined, 3),
    };
    const bad: Collector = {
      name: 'bad',
      async collect(out) {
        out.family({ name: 'half_written', type: 'gauge', help: 'x' }).sample({ a: '1' }, 1);
        throw new Error('store unreachable');
      },
    };
    const errors = new ScrapeErrors(pino({ level: 'silent' }));
    const exposition = new Exposition([bad, good], errors);
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const text = await exposition.metrics(format);
      expect(text).not.toContain('half_written');
      expect(text).toContain('good_total 3\n');
      if (format === 'openmetrics') expect(text.endsWith('# EOF\n')).toBe(true);
    }
    const series = parseExposition(await exposition.metrics());
    expect(sample(series, 'modelwatch_scrape_errors_total', { collector: 'bad' })).toBe(3);
    expect(sample(series, 'modelwatch_scrape_errors_total', { collector: 'good' })).toBe(0);
  });
});

describe('a scrape does not change monitoring state (issue 10)', () => {
  it('reads the windows as they are; they slide when the clock advances them', async () => {
    let now = Date.UTC(2030, 0, 1);
    // The window clock never ticks on its own here: the test advances it.
    const s = await startTestServer(
      { MODELWATCH_WINDOW_SECONDS: '120', MODELWATCH_WINDOW_RESOLUTION_SECONDS: '60', MODELWATCH_SKETCH_RESOLUTION_SECONDS: '60' },
      { now: () => now, windowTickMs: 3_600_000 },
    );
    try {
      const body = { model: 'm', version: 'v1', events: [event('e1', 1), event('e2', 2)] };
      expect((await s.api('/api/v1/predictions', { method: 'POST', json: body })).status).toBe(200);
      const v = s.parts.monitor.models.get('m')!.versions.get('v1')!;
      now += 10 * 60_000; // the events are now older than the window
      const revision = v.revision;
      const first = await (await s.api('/metrics', { token: null })).text();
      const second = await (await s.api('/metrics', { token: null })).text();
      expect(v.revision).toBe(revision);
      const window = (text: string) => sample(parseExposition(text), 'modelwatch_model_window_predictions', { model: 'm', version: 'v1' });
      expect(window(first)).toBe(2);
      expect(window(second)).toBe(2);
      advanceWindows(s.parts.monitor.models.values(), now);
      expect(v.revision).toBeGreaterThan(revision);
      expect(window(await (await s.api('/metrics', { token: null })).text())).toBe(0);
    } finally {
      await s.close();
    }
  });
});
