/**
 * Count arrays shared by the window states. Counts are integers kept in Float64Array (exact
 * up to 2^53); they are allocated lazily so that an empty window bucket costs no array.
 */

/** target[i] += source[i]. */
export function addCounts(target: Float64Array, source: Float64Array): void {
  if (target.length !== source.length) throw new RangeError('count arrays of different shape');
  for (let i = 0; i < source.length; i++) target[i] += source[i];
}

/**
 * target[i] -= source[i], refusing (and changing nothing) when a count would go negative:
 * that only happens when subtracting something that was never merged in.
 */
export function subtractCounts(target: Float64Array, source: Float64Array): void {
  if (target.length !== source.length) throw new RangeError('count arrays of different shape');
  for (let i = 0; i < source.length; i++) {
    if (target[i] < source[i]) throw new RangeError('subtracting a state that was not merged in');
  }
  for (let i = 0; i < source.length; i++) target[i] -= source[i];
}

/** Checks that a scalar count stays non-negative after subtracting. */
export function checkedDifference(a: number, b: number): number {
  if (a < b) throw new RangeError('subtracting a state that was not merged in');
  return a - b;
}
