/** Synthetic fleet traffic shared by the benchmark and the demo. */

export const NUMERIC_FEATURES = 16;
export const CATEGORICAL_FEATURES = 4;
const CATEGORIES = ['web', 'app', 'store', 'phone', 'partner', 'kiosk'];

export function featureNames(): string[] {
  return [
    ...Array.from({ length: NUMERIC_FEATURES }, (_, i) => `num_${String(i).padStart(2, '0')}`),
    ...Array.from({ length: CATEGORICAL_FEATURES }, (_, i) => `cat_${i}`),
  ];
}

/** Small deterministic PRNG (so runs are comparable). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** A reference sample: numeric features ~ N(i, 1), categories skewed. */
export function referenceSample(
  rand: () => number,
  n: number,
): { features: Record<string, Array<number | string>>; predictions: string[]; labels: string[]; score: number[] } {
  const features: Record<string, Array<number | string>> = {};
  for (const name of featureNames()) {
    const i = Number(name.slice(4));
    features[name] = Array.from({ length: n }, () =>
      name.startsWith('num_') ? Math.round((i + gaussian(rand)) * 1000) / 1000 : CATEGORIES[Math.floor(rand() ** 2 * CATEGORIES.length)],
    );
  }
  const predictions = Array.from({ length: n }, () => (rand() < 0.3 ? '1' : '0'));
  // Labelled scores drawn as live events draw them, so every version carries the label-free
  // estimate; from a generator of its own, so the rest of the traffic is what it was without.
  const own = prng(n + 17);
  const labels = Array.from({ length: n }, () => (own() < 0.3 ? '1' : '0'));
  const score = labels.map((truth) => Math.min(1, Math.max(0, (truth === '1' ? 0.65 : 0.3) + gaussian(own) * 0.2)));
  return { features, predictions, labels, score };
}

export interface SyntheticEvent {
  id: string;
  features: Record<string, number | string | null>;
  prediction: string;
  score: number;
  latency_ms: number;
  label?: string;
}

/**
 * Events whose features drift by `shift` standard deviations; the score is informative, so
 * accuracy and ROC AUC are realistic. `labeledShare` of events carry their label inline.
 */
export function events(rand: () => number, n: number, idPrefix: string, shift: number, labeledShare: number): SyntheticEvent[] {
  const names = featureNames();
  const out: SyntheticEvent[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const features: Record<string, number | string | null> = {};
    for (const name of names) {
      if (rand() < 0.01) {
        features[name] = null;
        continue;
      }
      const i = Number(name.slice(4));
      features[name] = name.startsWith('num_')
        ? Math.round((i + shift + gaussian(rand)) * 1000) / 1000
        : CATEGORIES[Math.floor(rand() ** 2 * CATEGORIES.length)];
    }
    const truth = rand() < 0.3 ? '1' : '0';
    const score = Math.min(1, Math.max(0, (truth === '1' ? 0.65 : 0.3) + gaussian(rand) * 0.2));
    const e: SyntheticEvent = { id: `${idPrefix}${k}`, features, prediction: score >= 0.5 ? '1' : '0', score, latency_ms: 5 + rand() * 40 };
    if (rand() < labeledShare) e.label = truth;
    out[k] = e;
  }
  return out;
}

/** The true label the generator would give (for feedback): re-derived from the score side. */
export function labelFor(e: SyntheticEvent, rand: () => number): string {
  return rand() < 0.85 ? e.prediction : e.prediction === '1' ? '0' : '1';
}
