/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal (`scipy.stats.norm.ppf(0.975)`). */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; the `method='wilson'` of
 * statsmodels' `proportion_confint`): with p = successes/n and z = Z95,
 *   (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n),
 * clipped to [0, 1], exactly 0 at 0 successes and exactly 1 at n. Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is not empty at p = 0
 * or 1: one labelled event, wrong, gives [0, 0.79], not "accuracy 0".
 * @param successes integer in [0, n]; @param n trials (> 0). Undefined when n = 0.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): { lo: number; hi: number } | undefined {
  if (!(n > 0)) return undefined;
  if (!(successes >= 0 && successes <= n)) throw new RangeError(`successes ${successes} outside [0, ${n}]`);
  const p = successes / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At p = 0 the lower end is exactly 0 and at p = 1 the upper end exactly 1 (center = half), but
  // the two roundings leave 5.6e-17 at 0 of 3 and 0.9999999999999999 at 77 of 77; SciPy's
  // binomtest(k, n).proportion_ci(method='wilson') returns the exact ends, and so does this.
  return { lo: successes === 0 ? 0 : Math.max(0, center - half), hi: successes === n ? 1 : Math.min(1, center + half) };
}

/**
 * Upper end of the Wilson 95% interval (z = Z95) of a window accuracy over `labeled` labels:
 * the value the accuracy alerts compare with their threshold (the recording rule
 * `model_version:modelwatch_accuracy:wilson95_upper_rate1h`, alert-rules/src/recording.ts, uses
 * this formula and Z95). `accuracy` in [0, 1] is rounded back to a count of right predictions.
 * Undefined when `labeled` is 0.
 */
export function wilsonUpper(accuracy: number, labeled: number): number | undefined {
  return wilsonInterval(Math.round(accuracy * labeled), labeled)?.hi;
}
