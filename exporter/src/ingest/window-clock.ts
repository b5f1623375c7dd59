import type { Logger } from '../logger.js';
import type { ModelState } from './model-state.js';

/**
 * Slides every version's windows to `now`: buckets older than the window leave its totals.
 * A version whose windows cannot advance is logged (once per version) and skipped; the others
 * still advance. Returns how many versions failed.
 */
export function advanceWindows(models: Iterable<ModelState>, now: number, log?: Logger, failed?: WeakSet<object>): number {
  let failures = 0;
  for (const model of models) {
    for (const v of model.versions.values()) {
      try {
        v.advance(now);
      } catch (err) {
        failures++;
        if (failed?.has(v)) continue;
        failed?.add(v);
        log?.error({ err, model: model.name, version: v.name }, 'window could not advance');
      }
    }
  }
  return failures;
}

/**
 * Windows advance from the clock, not as a side effect of reading them: a timer slides every
 * version's windows every `tickMs` (a second by default, well under the window resolution),
 * so /metrics and checkpoints read state without changing it, and a version that nobody
 * sends events to still sees its old events age out. Ingest also advances the version it
 * applies to before adding events (the new events must land in the current bucket).
 * Returns a stop function.
 */
export function startWindowClock(opts: {
  models: () => Iterable<ModelState>;
  now: () => number;
  log: Logger;
  tickMs?: number;
  /** Also run on each tick, after the windows slide (the monitor drops labels held too long). */
  onTick?: (now: number) => void;
}): () => void {
  const failed = new WeakSet<object>();
  const timer = setInterval(() => {
    const now = opts.now();
    advanceWindows(opts.models(), now, opts.log, failed);
    opts.onTick?.(now);
  }, opts.tickMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
