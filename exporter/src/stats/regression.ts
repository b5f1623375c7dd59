import { checkedDifference } from './counts.js';
import { ExactSum } from './exact-sum.js';
import { MAX_MAGNITUDE, withinMagnitude } from './magnitude.js';

/**
 * Errors below TINY_ERROR in magnitude have their squares summed apart, scaled up by
 * 2^(2·TINY_SCALE_EXPONENT): unscaled, the square of an error under ~1.5e-154 loses precision
 * (subnormal) and under ~1e-162 is 0, so RMSE read 0 for errors that MAE saw. One scale cannot
 * serve every error: squares of what ingest accepts span 2^-2148 (the least subnormal) to 4e200,
 * wider than a double's whole exponent range. Two sums, each taking the errors by their own
 * magnitude, keep every term a normal double with full precision (the tiny terms lie in
 * [2^-948, 2^200), the others in [2^-1000, 4e200]), and since which sum an error goes to depends
 * on that error alone, merge and subtract stay exact and the result independent of order and
 * batching. A scale chosen from the largest error seen would not survive subtract: when the
 * bucket holding the largest error leaves the window, the rescaled total could not be recovered.
 */
export const TINY_ERROR = 2 ** -500;
const TINY_SCALE_EXPONENT = 600;
const TINY_SCALE = 2 ** TINY_SCALE_EXPONENT;
/** 2^-600 (a normal double): applied twice, it takes a scaled square back down by 2^-1200. */
const TINY_UNSCALE = 2 ** -TINY_SCALE_EXPONENT;

/**
 * Window state for a regressor: exact sums of |error| and of error² (two of them, see
 * TINY_ERROR; see ExactSum), so merge and subtract are exact and the metrics do not depend on
 * event order. Constant memory.
 */
export class RegressionState {
  private n = 0;
  private readonly absoluteErrors = new ExactSum();
  /** Σ e² over the errors with |e| ≥ TINY_ERROR. */
  private readonly squaredErrors = new ExactSum();
  /** Σ (e·2^600)² over the errors with |e| < TINY_ERROR (see TINY_ERROR). */
  private readonly tinySquaredErrors = new ExactSum();

  get labeled(): number {
    return this.n;
  }

  /**
   * Adds one labelled prediction. Values must be finite with |x| ≤ MAX_MAGNITUDE (what ingest
   * accepts), which keeps every sum finite for up to 2^53 events; otherwise RangeError, before
   * anything changes.
   */
  add(yTrue: number, yPred: number): void {
    if (!withinMagnitude(yTrue) || !withinMagnitude(yPred)) {
      throw new RangeError(`regression values must be finite with magnitude at most ${MAX_MAGNITUDE}`);
    }
    const e = yPred - yTrue;
    this.absoluteErrors.add(Math.abs(e));
    if (Math.abs(e) < TINY_ERROR) {
      // Exact: scaling by a power of two is, and e·2^600 < 2^100 cannot overflow.
      const scaled = e * TINY_SCALE;
      this.tinySquaredErrors.add(scaled * scaled);
    } else {
      this.squaredErrors.add(e * e);
    }
    this.n++;
  }

  merge(o: RegressionState): void {
    this.absoluteErrors.merge(o.absoluteErrors);
    this.squaredErrors.merge(o.squaredErrors);
    this.tinySquaredErrors.merge(o.tinySquaredErrors);
    this.n += o.n;
  }

  subtract(o: RegressionState): void {
    const n = checkedDifference(this.n, o.n);
    this.absoluteErrors.subtract(o.absoluteErrors);
    this.squaredErrors.subtract(o.squaredErrors);
    this.tinySquaredErrors.subtract(o.tinySquaredErrors);
    this.n = n;
  }

  clear(): void {
    this.absoluteErrors.clear();
    this.squaredErrors.clear();
    this.tinySquaredErrors.clear();
    this.n = 0;
  }

  /**
   * Exact (correctly rounded) sums, for computing the metrics: `squared` over the errors of
   * magnitude at least TINY_ERROR, `tinySquared` the scaled squares of the others.
   */
  sums(): { absolute: number; squared: number; tinySquared: number } {
    return { absolute: this.absoluteErrors.value(), squared: this.squaredErrors.value(), tinySquared: this.tinySquaredErrors.value() };
  }
}

/**
 * MAE = `sklearn.metrics.mean_absolute_error`, RMSE = sqrt(`mean_squared_error`), over the
 * window's labeled predictions; undefined for an empty window. Both are within an ulp or two of
 * their exact values, RMSE also where float64 squares underflow (sklearn reads 0 for errors of
 * 1e-200; here 1e-200).
 */
export function regressionMetrics(s: RegressionState): { labeled: number; mae: number; rmse: number } | undefined {
  if (s.labeled === 0) return undefined;
  const { absolute, squared, tinySquared } = s.sums();
  return { labeled: s.labeled, mae: absolute / s.labeled, rmse: rootMeanSquare(squared, tinySquared, s.labeled) };
}

function rootMeanSquare(squared: number, tinySquared: number, n: number): number {
  // Only tiny errors: the mean of the scaled squares is a normal double (≥ 2^-948 / 2^53), so
  // its root is exact to rounding, then scaled back (one more rounding where RMSE is subnormal).
  if (squared === 0) return Math.sqrt(tinySquared / n) * TINY_UNSCALE;
  // Otherwise Σe² ≥ TINY_ERROR² = 2^-1000 (a sum of positive terms, exact: it cannot cancel to
  // less), and the tiny errors add under n·2^-1000 to it; what their unscaled sum loses to
  // underflow is below 2^-1074, 2^-74 of Σe², far under its rounding. With no tiny errors this
  // is the plain formula, bit for bit.
  return Math.sqrt(Math.max(0, (squared + tinySquared * TINY_UNSCALE * TINY_UNSCALE) / n));
}
