/**
 * missing / (missing + non-missing) of a feature window; undefined when the window is empty.
 * Unlike the drift functions it is defined for an all-missing window (ratio 1).
 */
export function featureMissingRatio(s: { readonly count: number; readonly missing: number }): number | undefined {
  const total = s.count + s.missing;
  return total === 0 ? undefined : s.missing / total;
}
