/**
 * Largest magnitude ingest accepts for a numeric prediction, label, feature value or KPI: finite
 * and |x| ≤ 1e100. It keeps every accumulator finite for any accepted input: a regression error
 * is at most 2e100, its square 4e200, and a window sums at most 2^53 of them (≤ 3.6e216), far
 * below the largest double (1.8e308). Ingest answers 400 naming `events[i].field` beyond it.
 */
export const MAX_MAGNITUDE = 1e100;

/** Whether x is a number ingest accepts (finite, |x| ≤ MAX_MAGNITUDE). */
export function withinMagnitude(x: number): boolean {
  return x >= -MAX_MAGNITUDE && x <= MAX_MAGNITUDE;
}
