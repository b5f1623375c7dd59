import type { FieldProblem } from '../errors.js';
import type { PredictionEvent } from './schemas.js';

/**
 * How far ahead of the exporter's clock an event's `timestamp` may be: a model server's clock
 * running a few minutes fast is normal, and such an event counts at arrival time. Further ahead
 * (1e11 s, year 9999) it is a client bug, and the batch is refused (futureTimestampProblems).
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** An event timestamp in ms since the epoch: ISO-8601, or Unix seconds; undefined when absent. */
function timestampMs(ts: string | number | undefined): number | undefined {
  if (ts === undefined) return undefined;
  const t = typeof ts === 'number' ? ts * 1000 : Date.parse(ts);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Event time in ms: the event's `timestamp` (ISO-8601 or Unix seconds), or arrival time `now`
 * (ms) when absent. A timestamp ahead of `now` (by at most MAX_CLOCK_SKEW_SECONDS once validated)
 * is taken as `now`: the windows end at the present. `now` is window time, ahead of the wall
 * clock by `offsetMs` once that stepped back (steady-clock.ts): a timestamp keeps its age by
 * the wall clock, so it lands in the bucket it would have without the step.
 */
export function eventTime(ts: string | number | undefined, now: number, offsetMs = 0): number {
  const t = timestampMs(ts);
  return t === undefined ? now : Math.min(t + offsetMs, now);
}

/**
 * `events[i].timestamp` problems of a batch checked at `now` (ms): timestamps more than
 * MAX_CLOCK_SKEW_SECONDS ahead of it. At most 1,000 problems; [] when none.
 */
export function futureTimestampProblems(events: readonly PredictionEvent[], now: number): FieldProblem[] {
  const limit = now + MAX_CLOCK_SKEW_SECONDS * 1000;
  const problems: FieldProblem[] = [];
  for (let i = 0; i < events.length && problems.length < 1000; i++) {
    const t = timestampMs(events[i].timestamp);
    if (t === undefined || t <= limit) continue;
    const ahead = Math.round((t - now) / 1000);
    problems.push({
      path: `events[${i}].timestamp`,
      message: `is ${ahead} s ahead of the exporter's clock (at most ${MAX_CLOCK_SKEW_SECONDS} s allowed): check the client's clock and that Unix time is in seconds`,
    });
  }
  return problems;
}
