/* Memory of the ROC AUC histograms (`npm run bench`, BENCH_ONLY=ingest): heap and array-buffer
 * bytes per binary version's probabilities window, at the default window geometry. */
import { loadConfig } from '../config/config.js';
import { Monitor } from '../ingest/monitor.js';

/**
 * Bytes per probabilities window over `n` binary versions: while their zoomed grid is kept
 * (scores within 8 log-odds units) and after it is released (scores from 1e-9 to 1 − 1e-9).
 * Each version first gets labelled predictions without scores, so that what is measured is only
 * what scores add. Needs --expose-gc for a stable figure.
 */
export function scoreWindowBytes(n: number): { zoomed: number; released: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const config = loadConfig({ MODELWATCH_LOG_LEVEL: 'silent', MODELWATCH_MAX_MODELS: String(n) });
  const monitor = new Monitor(config, () => Date.UTC(2030, 0, 1));
  const used = () => {
    gc?.();
    gc?.();
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  const feed = (tag: string, scores: Array<number | undefined>) => {
    for (let m = 0; m < n; m++) {
      const events = scores.map((score, k) => ({ id: `${tag}${k}`, features: {}, prediction: String(k % 2), score, label: String(k % 2) }));
      monitor.applyPredictions({ model: `auc-${m}`, version: 'v1', events });
    }
  };
  feed('a', [undefined, undefined]);
  const base = used();
  feed('b', [0.4, 0.6]);
  const zoomed = used();
  feed('c', [1e-9, 1 - 1e-9]);
  const released = used();
  if (monitor.models.size !== n) throw new Error('models were dropped');
  return { zoomed: (zoomed - base) / n, released: (released - base) / n };
}
