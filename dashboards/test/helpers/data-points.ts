import type { PromResult } from '@modelwatch/test-support';

/** Samples in a successful response that carry a number (NaN — e.g. a quantile of no traffic — counts as nothing). */
export function dataPoints(r: PromResult): number {
  if (r.resultType === 'scalar') return (r.result as [number, string])[1] === 'NaN' ? 0 : 1;
  if (r.resultType === 'string') return 1;
  let n = 0;
  for (const s of r.result as Array<{ value?: [number, string]; values?: Array<[number, string]> }>) {
    for (const [, v] of s.values ?? (s.value ? [s.value] : [])) if (v !== 'NaN') n++;
  }
  return n;
}
