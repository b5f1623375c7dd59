/* Memory of the ROC AUC histograms (`npm run bench`, BENCH_ONLY=ingest): heap and array-buffer
 * bytes per binary probabilities window, at the default window geometry. */
import { loadConfig } from '../config/config.js';
import { ClassificationState, ScoreGrid } from '../stats/index.js';
import { SlidingWindow } from '../windows/sliding-window.js';

/**
 * Bytes per binary probabilities window (built as a version builds it: the coarse geometry, one
 * shared adaptive grid, two classes reserved), over `n` windows: after one scored event, and
 * with the adaptive grid's cells full (2,000 distinct scores). Needs --expose-gc for a stable
 * figure.
 */
export function scoreWindowBytes(n: number): { first: number; full: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const config = loadConfig({ MODELWATCH_LOG_LEVEL: 'silent' });
  const bucketMs = config.sketchResolutionSeconds * 1000;
  const buckets = config.windowSeconds / config.sketchResolutionSeconds;
  const used = () => {
    gc?.();
    gc?.();
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  const now = Date.UTC(2030, 0, 1);
  const score = (w: SlidingWindow<ClassificationState>, p: number, label: number) => {
    w.advance(now);
    for (const s of [w.bucketAt(now)!, w.total]) s.add(label, label, [1 - p, p]);
  };
  const base = used();
  const windows = Array.from({ length: n }, () => {
    const grid = new ScoreGrid();
    const w = new SlidingWindow((role) => new ClassificationState(role, true, grid), bucketMs, buckets);
    w.forEachState((s) => s.reserve(2));
    score(w, 0.4, 0);
    return w;
  });
  const first = used();
  for (const w of windows) for (let i = 1; i < 2000; i++) score(w, i / 2000, i % 2);
  const full = used();
  if (windows.some((w) => w.total.scored !== 2000)) throw new Error('unexpected window state');
  return { first: (first - base) / n, full: (full - base) / n };
}
