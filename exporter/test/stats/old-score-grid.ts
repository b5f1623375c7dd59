/**
 * The fixed ROC AUC score grid before snapshot format 4 (1,026 bins): 1/32 in logit over
 * [−16, 16) as bins 1..1024, and one open bin at each end (p = 0 and p = 1 included). Tests use
 * it to show what the old grid did with the same scores.
 */
export function scoreBinV3(p: number): number {
  const logit = Math.log(p) - Math.log1p(-p);
  if (!(logit >= -16)) return 0;
  if (logit >= 16) return 1025;
  return 1 + Math.min(1023, Math.floor((logit + 16) * 32));
}
