/**
 * Asymptotic p-value of the two-sample, two-sided Kolmogorov–Smirnov test: the survival
 * function of the limiting Kolmogorov distribution at sqrt(en)·d with en = n·m/(n+m),
 * i.e. SciPy's `scipy.stats.kstwobign.sf(sqrt(en) * d)` (= `scipy.special.kolmogorov`).
 *
 * Note: `scipy.stats.ks_2samp(method='asymp')` evaluates instead the finite-sample one-sample
 * distribution `kstwo.sf(d, round(en))`; both converge as en grows, and the limiting form is
 * what can be computed in constant time for any window size.
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(n > 0) || !(m > 0)) throw new RangeError('KS p-value needs two non-empty samples');
  if (Number.isNaN(d)) throw new RangeError('KS statistic is NaN');
  const en = (n * m) / (n + m);
  return kolmogorovSf(Math.sqrt(en) * Math.min(Math.max(d, 0), 1));
}

/**
 * P(K > x) for the Kolmogorov distribution. Two series, each used where it converges within a
 * few terms: the Jacobi-theta form of the CDF for small x, the alternating series for the
 * survival function otherwise.
 */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    // CDF = sqrt(2π)/x · Σ_{k≥1} exp(−(2k−1)² π² / (8x²))
    const c = (-Math.PI * Math.PI) / (8 * x * x);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp(c * (2 * k - 1) * (2 * k - 1));
      sum += term;
      if (term <= sum * 1e-17) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / x) * sum));
  }
  // SF = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²x²)
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term <= Math.abs(sum) * 1e-17 || term === 0) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
