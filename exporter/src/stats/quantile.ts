/**
 * Quantile of an ascending-sorted sample with NumPy's default `method='linear'`
 * (Hyndman & Fan type 7), reproducing `numpy.quantile`'s floating-point steps (NumPy 1.24:
 * virtual index `(n - 1) * q`, and its two-sided lerp) so that reference cut points are
 * bit-identical to the Python reference generator's.
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1];
  if (virtualIndex < 0) return sorted[0];
  const lo = Math.floor(virtualIndex);
  const gamma = virtualIndex - lo;
  return lerp(sorted[lo], sorted[lo + 1], gamma);
}

/** NumPy's `_lerp`: interpolates from the nearer end so that equal neighbours give the exact value. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Number of elements of an ascending array that are < x (lower bound). */
export function countBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of an ascending array that are <= x (upper bound). */
export function countAtOrBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
