/**
 * A fitted monotone (non-decreasing) map, as scikit-learn's `IsotonicRegression(increasing=True,
 * out_of_bounds='clip')` stores it: knots `x` (strictly increasing) and fitted values `y`
 * (non-decreasing), evaluated by linear interpolation between knots (`numpy.interp`) and clipped
 * to the end values outside [x[0], x[last]]. Plain arrays so that it serialises as JSON.
 */
export interface IsotonicMap {
  x: number[];
  y: number[];
}

/**
 * Fits an isotonic regression of `y` on `x` by pool-adjacent-violators, with sklearn's
 * semantics: rows are sorted by x, equal x values are first merged into one knot carrying their
 * mean y and summed weight (sklearn's `_make_unique`), then adjacent blocks whose means violate
 * the order are pooled (weighted means). Knots strictly inside a run of equal fitted values are
 * dropped, as sklearn does; interpolation is unchanged by that.
 *
 * `x`, `y`: equal lengths ≥ 1, finite. Throws RangeError otherwise.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicMap {
  const n = x.length;
  if (n === 0 || y.length !== n) throw new RangeError('isotonic regression needs x and y of one non-zero length');
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new RangeError(`non-finite value at row ${i}`);
  }
  order.sort((a, b) => x[a] - x[b]);

  // Unique knots: x, mean y, weight (row count).
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (const i of order) {
    const last = ux.length - 1;
    if (last >= 0 && ux[last] === x[i]) {
      uy[last] += y[i];
      uw[last] += 1;
    } else {
      ux.push(x[i]);
      uy.push(y[i]);
      uw.push(1);
    }
  }
  for (let j = 0; j < ux.length; j++) uy[j] /= uw[j];

  // Pool adjacent violators: a stack of blocks (mean, weight, first knot).
  const mean: number[] = [];
  const weight: number[] = [];
  const start: number[] = [];
  for (let j = 0; j < ux.length; j++) {
    let m = uy[j];
    let w = uw[j];
    let s = j;
    while (mean.length > 0 && mean[mean.length - 1] >= m) {
      const pm = mean.pop()!;
      const pw = weight.pop()!;
      s = start.pop()!;
      m = (pm * pw + m * w) / (pw + w);
      w += pw;
    }
    mean.push(m);
    weight.push(w);
    start.push(s);
  }
  const fitted = new Array<number>(ux.length);
  for (let b = 0; b < mean.length; b++) {
    const end = b + 1 < mean.length ? start[b + 1] : ux.length;
    for (let j = start[b]; j < end; j++) fitted[j] = mean[b];
  }

  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let j = 0; j < ux.length; j++) {
    const inner = j > 0 && j < ux.length - 1;
    if (inner && fitted[j] === fitted[j - 1] && fitted[j] === fitted[j + 1]) continue;
    keptX.push(ux[j]);
    keptY.push(fitted[j]);
  }
  return { x: keptX, y: keptY };
}

/**
 * The map's value at v: `numpy.interp(clip(v, x[0], x[last]), x, y)`. O(log m) for m knots
 * (a binary search over a table fixed when the reference was fitted).
 */
export function applyIsotonic(map: IsotonicMap, v: number): number {
  const { x, y } = map;
  const last = x.length - 1;
  if (!(v > x[0])) return y[0];
  if (v >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  // Invariant: x[lo] < v < x[hi] or x[lo] === v.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= v) lo = mid;
    else hi = mid;
  }
  if (x[lo] === v) return y[lo];
  // The fraction first (in [0, 1]): knots a few ulps apart must not overflow a slope.
  return y[lo] + (y[hi] - y[lo]) * ((v - x[lo]) / (x[hi] - x[lo]));
}
