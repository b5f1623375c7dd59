import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

/**
 * The exporter's wall clock steps back 2 h (an NTP correction) while traffic continues, and the
 * exporter restarts on the stale clock (a container restored from an image): over HTTP, with
 * the server's own clock reads (window clock, journal, checkpoints, status) on a fake clock and
 * the real SQLite store. Window: 10 min at 1 min buckets.
 */

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

const batch = (from: number, n: number, clockMs?: number) => ({
  model: 'churn',
  version: 'v1',
  events: Array.from({ length: n }, (_, k) => ({
    id: `p${from + k}`,
    // every other event stamped by a client whose clock is the exporter's, 5 s before sending
    ...(clockMs !== undefined && k % 2 === 0 ? { timestamp: new Date(clockMs - 5000).toISOString() } : {}),
    features: { x: (from + k) % 7 },
    prediction: (from + k) % 4 === 0 ? '1' : '0',
    score: ((from + k) % 10) / 10,
    label: (from + k) % 3 === 0 ? '1' : '0',
  })),
});

describe('the wall clock steps back 2 h, then the exporter restarts on it', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-clockjump-'));
  const env = {
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_CHECKPOINT_SECONDS: '0',
    MODELWATCH_WINDOW_SECONDS: '600',
    MODELWATCH_WINDOW_RESOLUTION_SECONDS: '60',
  };
  const clock = { t: T0 };
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (body: unknown) => {
    const r = await s!.api('/api/v1/predictions', { method: 'POST', json: body });
    expect(r.status).toBe(200);
    return (await r.json()) as { accepted: number; dropped: Record<string, number> };
  };
  /** Time passing: the clock moves a second at a time, read each second as the window clock reads it. */
  const pass = (ms: number) => {
    for (let i = 0; i < ms / 1000; i++) {
      clock.t += 1000;
      s!.parts.monitor.now();
    }
  };
  const windowed = async () => {
    await new Promise((r) => setTimeout(r, 40)); // a window clock tick (every 10 ms here)
    const m = await scrape(s!);
    const status = await s!.api('/api/v1/models/churn/status?version=v1');
    expect(status.status).toBe(200);
    const body = (await status.json()) as { window: { predictions: number; labeled: number } };
    const v = { model: 'churn', version: 'v1' };
    expect(sample(m, 'modelwatch_model_window_predictions', v)).toBe(body.window.predictions);
    return { predictions: body.window.predictions, labeled: body.window.labeled, total: sample(m, 'modelwatch_predictions_total', v) };
  };

  it('counts every event in the window, keeps it over the restart, and goes on counting', async () => {
    s = await startTestServer(env, { now: () => clock.t, windowTickMs: 10 });
    expect((await post(batch(0, 40, clock.t))).dropped.outside_window ?? 0).toBe(0);
    pass(60_000);
    expect(await windowed()).toEqual({ predictions: 40, labeled: 40, total: 40 });

    clock.t -= 2 * HOUR;
    const after = await post(batch(40, 40, clock.t));
    expect(after.accepted).toBe(40);
    expect(after.dropped.outside_window ?? 0).toBe(0);
    pass(60_000);
    const before = await windowed();
    expect(before).toEqual({ predictions: 80, labeled: 80, total: 80 });

    await s.close();
    s = undefined;
    // restarted with the clock still 2 h behind what the checkpoint holds
    s = await startTestServer(env, { now: () => clock.t, windowTickMs: 10 });
    expect(await windowed()).toEqual(before);
    pass(60_000);
    const more = await post(batch(80, 40, clock.t));
    expect(more.dropped.outside_window ?? 0).toBe(0);
    expect(await windowed()).toEqual({ predictions: 120, labeled: 120, total: 120 });
    // a window (10 min) later, all of it has expired — as a steady clock would have it
    pass(11 * 60_000);
    expect(await windowed()).toEqual({ predictions: 0, labeled: 0, total: 120 });
  });
});
