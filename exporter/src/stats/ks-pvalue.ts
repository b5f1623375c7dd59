/**
 * P-value of the two-sample, two-sided Kolmogorov–Smirnov test as
 * `scipy.stats.ks_2samp(method='asymp')` computes it (SciPy 1.10): the survival function of the
 * one-sample two-sided KS distribution `scipy.stats.kstwo` at the statistic d, with
 * n = round(en), en = n·m/(n+m) rounded half to even as `numpy.round` does.
 *
 * `kstwo.sf` follows Simard & L'Ecuyer (2011), "Computing the two-sided Kolmogorov-Smirnov
 * distribution" (J. Stat. Softw. 39(11)), choosing per (n, d) between exact formulas
 * (Ruben–Gambino near the ends, 2× the one-sided Smirnov tail where it is exact), the Durbin
 * matrix (Marsaglia–Tsang–Wang), the Pomeranz recursion, and the Pelz–Good expansion, with the
 * same switch points as SciPy, so that the result agrees with SciPy to within 1e-6 (tested
 * against the reference script). Cost: constant for large n·d², at most O((n·d)³·log n) for the
 * Durbin matrix, which SciPy's rules only pick while n·d^1.5 ≤ 1.4 (n·d ≲ 1.25·n^(1/3)).
 *
 * @param d the KS statistic in [0, 1]; @param n, m the two sample sizes (> 0).
 * @throws RangeError for empty samples or NaN.
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(n > 0) || !(m > 0)) throw new RangeError('KS p-value needs two non-empty samples');
  if (Number.isNaN(d)) throw new RangeError('KS statistic is NaN');
  const [big, small] = n >= m ? [n, m] : [m, n];
  const en = (big * small) / (big + small);
  return kstwoSf(Math.min(Math.max(d, 0), 1), Math.max(1, roundHalfEven(en)));
}

/** numpy.round: to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/** P(D_n > x) for the one-sample two-sided KS statistic D_n (`scipy.stats.kstwo.sf(x, n)`). */
export function kstwoSf(x: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError('kstwo needs a positive integer n');
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: exact for 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - prob);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nxsquared <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxsquared >= 370) return 0;
  if (nxsquared >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxsquared >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/** Limiting Kolmogorov distribution P(K > x) (`scipy.special.kolmogorov`), for reference. */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    const c = (-Math.PI * Math.PI) / (8 * x * x);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp(c * (2 * k - 1) * (2 * k - 1));
      sum += term;
      if (term <= sum * 1e-17) break;
    }
    return clip(1 - (Math.sqrt(2 * Math.PI) / x) * sum);
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term <= Math.abs(sum) * 1e-17 || term === 0) break;
  }
  return clip(2 * sum);
}

// log(n!/n^n) by Stirling's series (SciPy's _log_nfactorial_div_n_pow_n), for n > 140.
const STIRLING = [
  -2.955065359477124e-2, 6.41025641025641e-3, -1.9175269175269176e-3, 8.417508417508417e-4, -5.952380952380953e-4, 7.936507936507937e-4,
  -2.777777777777778e-3, 8.333333333333333e-2,
];
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const z = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * z + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

/**
 * One-sided Smirnov tail P(D_n⁺ ≥ x) (`scipy.special.smirnov`), by the Birnbaum–Tingey sum
 *   x · Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j),
 * summed in log space (terms far below a double's range still count) and stopped, as SciPy
 * does, once the remaining terms cannot change the sum.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (nxfl >= n - 1) return clip((1 - x) ** n);
  if (n > 1000000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  let last = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) last -= 1;
  const terms = last + 1;
  // The sum runs against its largest term so far (m): s = Σ exp(t_j − m), rescaled when a
  // larger term comes. One exp and two logs per term, log C(n, j) from a table per n: the
  // p-value of every numeric feature is computed at each scrape that re-renders its version,
  // and the log-sum-exp form this replaces cost twice as much (most of a full scrape).
  const logC = logBinomials(n);
  const invN = 1 / n;
  let m = -Infinity;
  let sum = 0;
  for (let j = 0; j < terms; j++) {
    const t = logC[j] + (j - 1) * Math.log(x + j * invN) + (n - j) * Math.log((n - j) * invN - x);
    let e: number;
    if (t > m) {
      sum = sum * Math.exp(m - t) + 1;
      m = t;
      e = 1;
    } else {
      e = Math.exp(t - m);
      sum += e;
    }
    // Stop, as SciPy does, once the remaining terms (at most 4·(terms − j) of this size) cannot change the sum.
    if (j !== terms - 1 && 4 * (terms - j) * e < Number.EPSILON * sum) break;
  }
  return clip(x * Math.exp(m + Math.log(sum)));
}

/**
 * log C(n, j) for j = 0..n, kept for recent n (a fleet's windows share a handful of sizes),
 * at most TABLE_DOUBLES doubles in all (8 MiB), oldest dropped first.
 */
const binomialTables = new Map<number, Float64Array>();
const TABLE_DOUBLES = 1 << 20;
let tableDoubles = 0;
function logBinomials(n: number): Float64Array {
  let table = binomialTables.get(n);
  if (table) return table;
  table = new Float64Array(n + 1);
  for (let j = 1; j <= n; j++) table[j] = table[j - 1] + Math.log((n - j + 1) / j);
  for (const [k, t] of binomialTables) {
    if (tableDoubles + table.length <= TABLE_DOUBLES) break;
    binomialTables.delete(k);
    tableDoubles -= t.length;
  }
  if (table.length <= TABLE_DOUBLES) {
    binomialTables.set(n, table);
    tableDoubles += table.length;
  }
  return table;
}

// 2^128 scaling, as SciPy, to keep the matrix and recursion values in range.
const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

/** Pr(D_n ≤ d) by the Durbin matrix, computed as Marsaglia, Tsang & Wang (2003). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array = identity(m);
  let base: Float64Array = H;
  let expnt = 0;
  let baseExpnt = 0;
  let nn = n;
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = matmul(power, base, m);
      expnt += baseExpnt;
    }
    base = matmul(base, base, m);
    baseExpnt *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)]) > P128) {
      for (let i = 0; i < base.length; i++) base[i] /= P128;
      baseExpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      expnt -= E128;
    }
  }
  return clip(p * 2 ** expnt);
}

function identity(m: number): Float64Array {
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) a[i * m + i] = 1;
  return a;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
    }
  }
  return out;
}

/** Pr(D_n ≤ x) by the Pomeranz (1974) recursion, for n ≤ 140. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let k = 1; k < npwrs; k++) {
    gpower[k] = (gpower[k - 1] * (g / n)) / k;
    twogpower[k] = (twogpower[k - 1] * ((2 * g) / n)) / k;
    onem2gpower[k] = (onem2gpower[k - 1] * ((1 - 2 * g) / n)) / k;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const start = j1 - k1;
      const len = j2 - j1 + 1;
      // V1[0..len) = (V0[k1−V0s ..] ⊛ pwrs)[start .. start+len)
      const off = k1 - V0s;
      let max = 0;
      for (let q = 0; q < len; q++) {
        const idx = start + q;
        let s = 0;
        for (let a = Math.max(0, idx - (ln2 - 1)); a <= Math.min(idx, ln2 - 1); a++) s += V0[off + a] * pwrs[idx - a];
        V1[q] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < M128) {
        for (let q = 0; q < len; q++) V1[q] *= P128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let k = 1; k <= n; k++) {
    if (Math.abs(ans) > P128) {
      ans *= M128;
      expnt += E128;
    }
    ans *= k;
  }
  return clip(ans * 2 ** expnt);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pelz–Good (1976) approximation of Pr(D_n ≤ x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2;
  const PI4 = Math.PI ** 4;
  const PI6 = Math.PI ** 6;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}
