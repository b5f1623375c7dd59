import { describe, expect, it } from 'vitest';
import { advanceWindows } from '../../src/ingest/window-clock.js';
import type { Monitor } from '../../src/ingest/monitor.js';
import { makeMonitor, render, restoreAll, smallConfig, snapshotAll } from '../durable/monitor-fixture.js';

/**
 * The exporter's wall clock jumps (NTP steps, VM resumes, containers restored with a stale
 * clock) while traffic continues. A fake clock drives the real Monitor and collectors, ticking
 * every second as the root's window clock does; each run is compared with one whose clock never
 * jumped. Window size: 10 min at 1 min buckets (smallConfig).
 */

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const config = smallConfig();

interface Run {
  m: Monitor;
  clock: { t: number };
  /** Real time (ms): what a clock that never jumped reads. */
  real: number;
  next: number;
  /** Ids waiting for their /feedback label, with when it is due (real ms). */
  due: Array<{ id: string; label: string; at: number }>;
  counters: Map<string, number>;
}

function start(): Run {
  const clock = { t: T0 };
  return { m: makeMonitor(config, clock), clock, real: T0, next: 0, due: [], counters: new Map() };
}

/** One second of real time: the window clock's tick, traffic every 20 s, labels 90 s after their prediction. */
function second(r: Run, wall: (real: number) => number): void {
  r.real += 1000;
  r.clock.t = wall(r.real);
  advanceWindows(r.m.models.values(), r.m.now());
  r.m.expireHeldLabels();
  if ((r.real - T0) % 20_000 !== 0) return;
  const n = r.next++;
  const label = n % 3 === 0 ? 'b' : 'a';
  r.m.applyPredictions({
    model: 'clf',
    version: 'v1',
    events: [
      // stamped by a client whose clock is the exporter's (same NTP), 5 s before it is sent
      {
        id: `t${n}`,
        timestamp: new Date(r.clock.t - 5000).toISOString(),
        features: { x: n % 10, color: 'red' },
        prediction: 'a',
        score: (n % 10) / 10,
      },
      { id: `u${n}`, features: { x: (n * 7) % 10, color: 'blue' }, prediction: n % 2 ? 'b' : 'a', score: ((n * 7) % 10) / 10, label },
    ],
  } as never);
  r.due.push({ id: `t${n}`, label, at: r.real + 90_000 });
  const ready = r.due.filter((d) => d.at <= r.real);
  r.due = r.due.filter((d) => d.at > r.real);
  if (ready.length) r.m.applyFeedback({ model: 'clf', events: ready.map((d) => ({ id: d.id, label: d.label })) } as never);
  checkCounters(r);
}

/** No process-wide counter ever decreases; nothing is refused as outside the window. */
function checkCounters(r: Run): void {
  const now = new Map<string, number>([
    ...[...r.m.dropped.counts].map(([k, v]) => [`dropped.${k}`, v] as [string, number]),
    ...Object.entries(r.m.ingested).map(([k, v]) => [`ingested.${k}`, v] as [string, number]),
  ]);
  for (const [k, v] of now) expect(v, k).toBeGreaterThanOrEqual(r.counters.get(k) ?? 0);
  r.counters = now;
}

function runFor(r: Run, ms: number, wall: (real: number) => number): void {
  for (let i = 0; i < ms / 1000; i++) second(r, wall);
}

const steady = (real: number) => real;
/**
 * A clock that never jumped, but for the second in which the step back happened: no read can
 * tell how much time passed between the last reading before the step and the first after it,
 * so window time stands still for it (the bound steady-clock.ts documents).
 */
const lagging = (from: number) => (real: number) => (real > from ? real - 1000 : real);

/** What /metrics shows, with the renderable-and-finite checks every test wants. */
function shown(r: Run): string {
  const text = render(r.m, config);
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const value = line.slice(line.lastIndexOf(' ') + 1);
    expect(value, line).not.toBe('NaN');
    expect(Number(value), line).toBeGreaterThanOrEqual(line.includes('log_loss') || line.includes('kpi') ? -Infinity : -1);
  }
  return text;
}

function windowPredictions(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('modelwatch_model_window_predictions{model="clf",version="v1"}'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('the wall clock steps back while traffic continues', () => {
  for (const back of [30_000, 10 * MIN, 2 * HOUR]) {
    it(`by ${back / 1000} s: window statistics equal those of a run whose clock never jumped`, () => {
      const jumped = start();
      const never = start();
      runFor(jumped, 15 * MIN, steady);
      runFor(never, 15 * MIN, steady);
      const jumpAt = jumped.real;
      const wall = (real: number) => (real > jumpAt ? real - back : real);
      // right after the step, a few minutes on, a whole window on, and after the clock caught up
      for (const span of [20_000, 4 * MIN, 11 * MIN, back + 2 * MIN]) {
        runFor(jumped, span, wall);
        runFor(never, span, lagging(jumpAt));
        expect(shown(jumped)).toBe(shown(never));
      }
      expect(jumped.m.dropped.counts.get('outside_window')).toBe(0);
      expect(windowPredictions(shown(jumped))).toBeGreaterThan(0);
    });
  }
});

describe('the wall clock jumps forward', () => {
  for (const ahead of [3 * HOUR, 2 * 24 * HOUR]) {
    it(`by ${ahead / HOUR} h: the windows empty, labels held expire, nothing throws, nothing is NaN`, () => {
      const r = start();
      runFor(r, 12 * MIN, steady);
      r.m.applyFeedback({ model: 'clf', events: [{ id: 'not-yet', label: 'a' }] } as never);
      expect(r.m.heldCount).toBe(1);
      const pending = r.m.pendingCount;
      expect(pending).toBeGreaterThan(0);
      const jumpAt = r.real;
      const wall = (real: number) => (real > jumpAt ? real + ahead : real);
      runFor(r, 1000, wall);
      const text = shown(r);
      expect(windowPredictions(text)).toBe(0);
      expect(text).toMatch(/modelwatch_model_window_labeled\{model="clf",version="v1"\} 0\n/);
      expect(r.m.heldCount).toBe(0);
      expect(r.m.dropped.counts.get('label_expired')).toBe(1);
      // predictions still waiting keep waiting (they have no time limit), aged by the jump
      expect(r.m.pendingCount).toBe(pending);
      runFor(r, 2 * MIN, wall);
      expect(windowPredictions(shown(r))).toBeGreaterThan(0);
    });
  }
});

describe('the wall clock steps back and forth around a bucket boundary', () => {
  it('a step back that is undone leaves the windows where a steady clock has them', () => {
    const jumped = start();
    const never = start();
    // 10 s before a minute boundary
    runFor(jumped, 12 * MIN - 10_000, steady);
    runFor(never, 12 * MIN - 10_000, steady);
    const from = jumped.real;
    // 40 s back across the boundary, then (20 s later) forward again to the right time, twice
    const wall = (real: number) =>
      (real > from && real <= from + 20_000) || (real > from + 60_000 && real <= from + 70_000) ? real - 40_000 : real;
    // the second each step back happened in is lost until the step forward pays it back
    const lost = (real: number) =>
      (real > from && real <= from + 20_000) || (real > from + 60_000 && real <= from + 70_000) ? real - 1000 : real;
    for (const span of [20_000, 20_000, 30_000, 20_000, 12 * MIN]) {
      runFor(jumped, span, wall);
      runFor(never, span, lost);
      expect(shown(jumped)).toBe(shown(never));
    }
  });
});

describe('a checkpoint and restart after a jump', () => {
  it('restores the same state, and a restart on a stale clock goes on from it', () => {
    const r = start();
    runFor(r, 12 * MIN, steady);
    const jumpAt = r.real;
    const wall = (real: number) => (real > jumpAt ? real - 2 * HOUR : real);
    runFor(r, 3 * MIN, wall);
    const before = shown(r);
    const snaps = snapshotAll(r.m);
    // a fresh process whose clock is still 2 h behind (a container restored with a stale clock)
    const again: Run = { ...start(), real: r.real, next: r.next, due: [...r.due] };
    again.clock.t = wall(r.real);
    again.m = makeMonitor(config, again.clock);
    restoreAll(again.m, snaps);
    expect(shown(again)).toBe(before);
    const never = start();
    runFor(never, 15 * MIN, lagging(jumpAt));
    runFor(r, 5 * MIN, wall);
    runFor(again, 5 * MIN, wall);
    runFor(never, 5 * MIN, lagging(jumpAt));
    expect(shown(again)).toBe(shown(r));
    expect(shown(again)).toBe(shown(never));
  });
});
