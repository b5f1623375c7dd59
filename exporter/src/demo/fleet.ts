import { featureNames, prng } from './synthetic-traffic.js';

const CATEGORIES = ['web', 'app', 'store', 'phone', 'partner', 'kiosk'];
const MINUTE = 60_000;

/** How a demo model behaves over time (ms since the demo started). */
export interface DemoModel {
  model: string;
  version: string;
  /** What a newcomer should see: green, amber, red. */
  story: string;
  /** Shift of the drifting numeric features, in standard deviations. */
  shift(elapsedMs: number): number;
  /** Probability that a label disagrees with the truth the score was drawn from (accuracy loss). */
  labelNoise(elapsedMs: number): number;
  /** Mean serving latency, ms. */
  latencyMs(elapsedMs: number): number;
}

const steady = { shift: () => 0, labelNoise: () => 0, latencyMs: () => 15 };

/**
 * Most of the fleet is healthy; one model's inputs drift gradually (half its numeric features
 * shift by up to 1.5 standard deviations over 10 minutes), one model's accuracy falls from
 * minute 3 to 6 (the world changed, the inputs did not: a third of the labels disagree), one
 * model's latency climbs by 8 ms a minute, past the 50 ms production gate.
 */
export const DEMO_FLEET: readonly DemoModel[] = [
  { model: 'demo-churn', version: 'v3', story: 'healthy', ...steady },
  { model: 'demo-ranker', version: 'v1', story: 'healthy', ...steady, latencyMs: () => 8 },
  { model: 'demo-search', version: 'v7', story: 'healthy', ...steady, latencyMs: () => 12 },
  {
    model: 'demo-fraud',
    version: 'v12',
    story: 'input drift growing over 10 minutes',
    ...steady,
    shift: (t) => Math.min(1.5, (1.5 * t) / (10 * MINUTE)),
  },
  {
    model: 'demo-credit',
    version: 'v4',
    story: 'accuracy degrading after 3 minutes',
    ...steady,
    labelNoise: (t) => Math.min(0.35, Math.max(0, (0.35 * (t - 3 * MINUTE)) / (3 * MINUTE))),
  },
  {
    model: 'demo-pricing',
    version: 'v2',
    story: 'latency rising past the 50 ms gate',
    ...steady,
    latencyMs: (t) => 15 + 8 * (t / MINUTE),
  },
];

export interface DemoEvent {
  id: string;
  features: Record<string, number | string | null>;
  prediction: string;
  score: number;
  latency_ms: number;
  label?: string;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** Numeric features ~ N(i, 1) (half of them shifted by `shift`), categories skewed, as in the reference. */
function featuresOf(rand: () => number, shift: number): Record<string, number | string | null> {
  const features: Record<string, number | string | null> = {};
  for (const name of featureNames()) {
    if (rand() < 0.005) {
      features[name] = null;
      continue;
    }
    const i = Number(name.slice(4));
    features[name] = name.startsWith('num_')
      ? Math.round((i + (i % 2 === 0 ? shift : 0) + gaussian(rand)) * 1000) / 1000
      : CATEGORIES[Math.floor(rand() ** 2 * CATEGORIES.length)];
  }
  return features;
}

/** A well-separating score for a truth (accuracy ~0.95 when labels are clean). */
function scoreFor(rand: () => number, truth: string): number {
  return Math.min(1, Math.max(0, (truth === '1' ? 0.75 : 0.2) + gaussian(rand) * 0.15));
}

/** `n` events of model `d` at `elapsedMs`; `labeledShare` of them carry their label inline. */
export function demoEvents(
  d: DemoModel,
  rand: () => number,
  n: number,
  idPrefix: string,
  elapsedMs: number,
  labeledShare: number,
): DemoEvent[] {
  const shift = d.shift(elapsedMs);
  const noise = d.labelNoise(elapsedMs);
  const latency = d.latencyMs(elapsedMs);
  return Array.from({ length: n }, (_, k) => {
    const truth = rand() < 0.3 ? '1' : '0';
    const score = scoreFor(rand, truth);
    const e: DemoEvent = {
      id: `${idPrefix}${k}`,
      features: featuresOf(rand, shift),
      prediction: score >= 0.5 ? '1' : '0',
      score,
      latency_ms: Math.max(1, latency * (0.7 + 0.6 * rand())),
    };
    // The label the world gives: the truth, or (as the model degrades) its opposite.
    const label = rand() < noise ? (truth === '1' ? '0' : '1') : truth;
    if (rand() < labeledShare) e.label = label;
    else Object.defineProperty(e, 'pendingLabel', { value: label, enumerable: false });
    return e;
  });
}

/** The label an event sent without one will get as feedback later. */
export function pendingLabel(e: DemoEvent): string {
  return (e as DemoEvent & { pendingLabel: string }).pendingLabel;
}

/** A reference sample drawn as a healthy model's live traffic is (scores labelled for the estimate). */
export function demoReference(n: number): {
  features: Record<string, Array<number | string>>;
  predictions: string[];
  labels: string[];
  score: number[];
} {
  const rand = prng(n + 2024);
  const features: Record<string, Array<number | string>> = {};
  const rows = Array.from({ length: n }, () => featuresOf(rand, 0));
  for (const name of featureNames()) features[name] = rows.map((r) => r[name]).filter((x): x is number | string => x !== null);
  const labels = Array.from({ length: n }, () => (rand() < 0.3 ? '1' : '0'));
  const score = labels.map((t) => scoreFor(rand, t));
  return { features, predictions: score.map((s) => (s >= 0.5 ? '1' : '0')), labels, score };
}
