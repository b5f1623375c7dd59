import type { CategoricalFeatureReference } from './feature-reference.js';
import type { CategoricalFeatureState } from './categorical-state.js';
import { jensenShannonDistance } from './js-distance.js';
import { psiFromProportions } from './psi.js';

export interface CategoricalDrift {
  /** `scipy.spatial.distance.jensenshannon(ref, cur, base=2)` over category frequencies. */
  jsDistance: number;
  /** PSI over the same category frequencies, each floored at 1e-4. */
  psi: number;
  /** missing / (missing + non-missing) in the window. */
  missingRatio: number;
}

/**
 * Drift of a window against its categorical reference over the union of categories: the
 * reference's (its `__other__` included), and the unseen ones the window holds (reference
 * frequency 0). Undefined when the window holds no non-missing value.
 */
export function categoricalDrift(ref: CategoricalFeatureReference, s: CategoricalFeatureState): CategoricalDrift | undefined {
  const m = s.count;
  if (m === 0) return undefined;
  // The union of categories in categoryCounts() order, read straight from the count arrays.
  const p: number[] = [];
  const q: number[] = [];
  const refCounts = s.referenceCounts();
  for (let i = 0; i < ref.categories.length; i++) {
    p.push(ref.counts[i] / ref.count);
    q.push(refCounts[i] / m);
  }
  const { slots, other } = s.unseenCounts();
  for (let i = 0; i < slots.length; i++) {
    if (slots[i] > 0) {
      p.push(0);
      q.push(slots[i] / m);
    }
  }
  if (other > 0) {
    p.push(0);
    q.push(other / m);
  }
  return {
    jsDistance: jensenShannonDistance(p, q),
    psi: psiFromProportions(p, q),
    missingRatio: s.missing / (s.missing + m),
  };
}
