/**
 * Jensen–Shannon distance with base-2 logarithms, as `scipy.spatial.distance.jensenshannon(p,
 * q, base=2)`: both vectors are normalised to sum 1, m = (p+q)/2, and the result is
 * sqrt((KL(p‖m) + KL(q‖m)) / 2 / ln 2), in [0, 1].
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError('Jensen–Shannon needs vectors over the same categories');
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  if (!(sp > 0) || !(sq > 0)) throw new RangeError('Jensen–Shannon needs two non-empty distributions');
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / mi);
    if (qi > 0) js += qi * Math.log(qi / mi);
  }
  // Rounding can leave a tiny negative sum for identical distributions.
  return Math.sqrt(Math.max(0, js / Math.LN2 / 2));
}
