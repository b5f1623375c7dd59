/** Floor applied to every proportion before PSI, so that empty bins give a finite value. */
export const PSI_FLOOR = 1e-4;

/**
 * Population Stability Index between a reference and a current distribution given as bin
 * proportions: PSI = Σ (cur_i − ref_i) · ln(cur_i / ref_i), each proportion first floored at
 * 1e-4 (no renormalisation). Usual reading: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 significant.
 */
export function psiFromProportions(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  if (ref.length !== cur.length) throw new RangeError('PSI needs proportions over the same bins');
  let psi = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = Math.max(ref[i], PSI_FLOOR);
    const c = Math.max(cur[i], PSI_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}
