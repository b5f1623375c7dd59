import { checkedDifference } from './counts.js';
import { ExactSum } from './exact-sum.js';
import { MAX_MAGNITUDE, withinMagnitude } from './magnitude.js';

/**
 * Window state for a regressor: exact sums of |error| and error² (see ExactSum), so merge
 * and subtract are exact and the metrics do not depend on event order. Constant memory.
 */
export class RegressionState {
  private n = 0;
  private readonly absoluteErrors = new ExactSum();
  private readonly squaredErrors = new ExactSum();

  get labeled(): number {
    return this.n;
  }

  /**
   * Adds one labelled prediction. Values must be finite with |x| ≤ MAX_MAGNITUDE (what ingest
   * accepts), which keeps both sums finite for up to 2^53 events; otherwise RangeError, before
   * anything changes.
   */
  add(yTrue: number, yPred: number): void {
    if (!withinMagnitude(yTrue) || !withinMagnitude(yPred)) {
      throw new RangeError(`regression values must be finite with magnitude at most ${MAX_MAGNITUDE}`);
    }
    const e = yPred - yTrue;
    this.absoluteErrors.add(Math.abs(e));
    this.squaredErrors.add(e * e);
    this.n++;
  }

  merge(o: RegressionState): void {
    this.absoluteErrors.merge(o.absoluteErrors);
    this.squaredErrors.merge(o.squaredErrors);
    this.n += o.n;
  }

  subtract(o: RegressionState): void {
    const n = checkedDifference(this.n, o.n);
    this.absoluteErrors.subtract(o.absoluteErrors);
    this.squaredErrors.subtract(o.squaredErrors);
    this.n = n;
  }

  clear(): void {
    this.absoluteErrors.clear();
    this.squaredErrors.clear();
    this.n = 0;
  }

  /** Exact (correctly rounded) sums, for computing the metrics. */
  sums(): { absolute: number; squared: number } {
    return { absolute: this.absoluteErrors.value(), squared: this.squaredErrors.value() };
  }
}

/**
 * MAE = `sklearn.metrics.mean_absolute_error`, RMSE = sqrt(`mean_squared_error`), over the
 * window's labeled predictions; undefined for an empty window.
 */
export function regressionMetrics(s: RegressionState): { labeled: number; mae: number; rmse: number } | undefined {
  if (s.labeled === 0) return undefined;
  const { absolute, squared } = s.sums();
  return { labeled: s.labeled, mae: absolute / s.labeled, rmse: Math.sqrt(Math.max(0, squared / s.labeled)) };
}
