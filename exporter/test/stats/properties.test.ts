import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CategoricalFeatureState,
  ClassificationState,
  NumericFeatureState,
  RegressionState,
  ScoreGrid,
  buildFeatureReference,
  categoricalDrift,
  classificationMetrics,
  numericDrift,
  regressionMetrics,
  type CategoricalFeatureReference,
  type NumericFeatureReference,
} from '../../src/stats/index.js';
import { CountRing, type CountRole } from '../../src/stats/counts.js';

/**
 * Mergeability laws every window state must satisfy, for a sliding window to add a bucket and
 * later subtract it:
 *   merge(state(A), state(B)) = state(A ∪ B)       (counts exactly, metrics equal)
 *   subtract(merge(state(A), state(B)), state(B)) = state(A)
 *   state(permutation of A) = state(A)
 * plus the window pattern itself: each event added to its bucket and to a running total,
 * expired buckets subtracted from the total, and a cleared bucket reused as a fresh one.
 * Buckets keep narrower counts than totals (see BinCounts), so the laws mix the two.
 */

const RUNS = { numRuns: 150 };

/** Splits events into two parts by a boolean mask. */
function split<T>(events: T[], mask: boolean[]): [T[], T[]] {
  const a: T[] = [];
  const b: T[] = [];
  events.forEach((e, i) => (mask[i % mask.length] ? a : b).push(e));
  return [a, b];
}

interface Law<S, E, R> {
  name: string;
  make: (role?: CountRole) => S;
  add: (s: S, e: E) => void;
  merge: (s: S, o: S) => void;
  subtract: (s: S, o: S) => void;
  clear: (s: S) => void;
  observe: (s: S) => R;
  events: fc.Arbitrary<E[]>;
}

function checkLaws<S, E, R>(law: Law<S, E, R>): void {
  const build = (events: E[], role: CountRole = 'total'): S => {
    const s = law.make(role);
    for (const e of events) law.add(s, e);
    return s;
  };
  describe(law.name, () => {
    it('merge of two states equals the state of the union', () => {
      fc.assert(
        fc.property(law.events, fc.array(fc.boolean(), { minLength: 1 }), (events, mask) => {
          const [a, b] = split(events, mask);
          const merged = build(a);
          law.merge(merged, build(b, 'bucket'));
          expect(law.observe(merged)).toEqual(law.observe(build(events)));
        }),
        RUNS,
      );
    });

    it('subtract undoes merge exactly', () => {
      fc.assert(
        fc.property(law.events, fc.array(fc.boolean(), { minLength: 1 }), (events, mask) => {
          const [a, b] = split(events, mask);
          const s = build(a);
          const sb = build(b, 'bucket');
          law.merge(s, sb);
          law.subtract(s, sb);
          expect(law.observe(s)).toEqual(law.observe(build(a)));
        }),
        RUNS,
      );
    });

    it('is invariant to event order', () => {
      fc.assert(
        fc.property(
          law.events.chain((events) =>
            fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })),
          ),
          ([events, shuffled]) => {
            expect(law.observe(build(shuffled))).toEqual(law.observe(build(events)));
          },
        ),
        RUNS,
      );
    });

    it('a running total that adds events and subtracts expired buckets equals the live buckets', () => {
      fc.assert(
        fc.property(law.events, fc.array(fc.nat(4), { minLength: 1 }), fc.nat(4), (events, bucketOf, expired) => {
          const buckets = Array.from({ length: 5 }, () => law.make('bucket'));
          const total = law.make();
          const live: E[] = [];
          events.forEach((e, i) => {
            const b = bucketOf[i % bucketOf.length];
            law.add(buckets[b], e);
            law.add(total, e);
            if (b !== expired) live.push(e);
          });
          law.subtract(total, buckets[expired]);
          expect(law.observe(total)).toEqual(law.observe(build(live)));
        }),
        RUNS,
      );
    });

    it("buckets sharing one CountRing, as a window's do, keep apart and add up to the total", () => {
      fc.assert(
        fc.property(law.events, fc.array(fc.nat(4), { minLength: 1 }), fc.nat(4), (events, bucketOf, cleared) => {
          const ring = new CountRing(5);
          const buckets = Array.from({ length: 5 }, (_, row) => law.make({ ring, row }));
          const total = law.make();
          const perBucket: E[][] = buckets.map(() => []);
          events.forEach((e, i) => {
            const b = bucketOf[i % bucketOf.length];
            law.add(buckets[b], e);
            law.add(total, e);
            perBucket[b].push(e);
          });
          buckets.forEach((s, b) => expect(law.observe(s)).toEqual(law.observe(build(perBucket[b]))));
          law.subtract(total, buckets[cleared]);
          law.clear(buckets[cleared]);
          expect(law.observe(buckets[cleared])).toEqual(law.observe(build([])));
          const live = perBucket.filter((_, b) => b !== cleared).flat();
          expect(law.observe(total)).toEqual(law.observe(build(live)));
          for (const s of buckets) law.merge(total, s);
          expect(law.observe(total)).toEqual(law.observe(build([...live, ...live])));
        }),
        RUNS,
      );
    });

    it('a cleared state is reused as a fresh one', () => {
      fc.assert(
        fc.property(law.events, law.events, fc.constantFrom<CountRole>('bucket', 'total'), (before, after, role) => {
          const s = build(before, role);
          law.clear(s);
          for (const e of after) law.add(s, e);
          expect(law.observe(s)).toEqual(law.observe(build(after)));
        }),
        RUNS,
      );
    });
  });
}

// ---------------------------------------------------------------- numeric

const numericRef = buildFeatureReference(
  Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? null : i % 5 === 0 ? 2 : Math.round(Math.sin(i) * 1000) / 100)),
  { maxCategories: 10 },
) as NumericFeatureReference;

const numericValue = fc.oneof(
  fc.double({ min: -15, max: 15, noNaN: true }),
  fc.constantFrom(...numericRef.edges.slice(0, 20), numericRef.min, numericRef.max, 2),
  fc.constant(null),
);

checkLaws<NumericFeatureState, number | null, unknown>({
  name: 'NumericFeatureState',
  make: (role) => new NumericFeatureState(numericRef, role),
  add: (s, v) => (v === null ? s.addMissing() : s.add(v)),
  merge: (s, o) => s.merge(o),
  subtract: (s, o) => s.subtract(o),
  clear: (s) => s.clear(),
  observe: (s) => ({
    bins: Array.from(s.fineCounts()),
    count: s.count,
    missing: s.missing,
    outOfRange: s.outOfRange,
    drift: numericDrift(numericRef, s),
  }),
  events: fc.array(numericValue, { maxLength: 120 }),
});

// ---------------------------------------------------------------- categorical

const categoricalRefs: Array<[string, CategoricalFeatureReference]> = [
  [
    'listing every category',
    buildFeatureReference(['a', 'a', 'b', 'c', null, 'c', 'c'], { maxCategories: 10 }) as CategoricalFeatureReference,
  ],
  ['with a folded tail', buildFeatureReference(['a', 'a', 'b', 'c', 'd', 'e', 'e'], { maxCategories: 2 }) as CategoricalFeatureReference],
];
const categoryValue = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'd', 'e', '__other__', 'x', 'y', 'z', 'w'),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
);
for (const [label, ref] of categoricalRefs) {
  for (const slots of [0, 2, 8]) {
    checkLaws<CategoricalFeatureState, string | null, unknown>({
      name: `CategoricalFeatureState (reference ${label}, ${slots} unseen slots)`,
      make: (role) => new CategoricalFeatureState(ref, slots, role),
      add: (s, v) => (v === null ? s.addMissing() : void s.add(v)),
      merge: (s, o) => s.merge(o),
      subtract: (s, o) => s.subtract(o),
      clear: (s) => s.clear(),
      observe: (s) => ({
        counts: s.categoryCounts().map((c) => [c.count, c.inReference]),
        count: s.count,
        missing: s.missing,
        drift: categoricalDrift(ref, s),
      }),
      events: fc.array(categoryValue, { maxLength: 80 }),
    });
  }
}

// ---------------------------------------------------------------- classification

type ClassEvent = { t: number; p: number; probs?: number[] };
/** Any score, with weight on the fixed grid's ends: |logit| > 16, float32 values, denormals, exact 0 and 1. */
const probability = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, 1e-9, 0.5, 1 - 1e-9, 5e-324, 2 ** -149, 1 - 2 ** -53, 1 - 2 ** -24),
  fc.double({ min: -745, max: -16, noNaN: true }).map((logit) => Math.exp(logit) / (1 + Math.exp(logit))),
  fc.double({ min: 16, max: 37, noNaN: true }).map((logit) => 1 / (1 + Math.exp(-logit))),
  fc.float({ min: 0, max: 1, noNaN: true }),
);
const classEvent = (k: number): fc.Arbitrary<ClassEvent> =>
  fc.record(
    { t: fc.nat(k - 1), p: fc.nat(k - 1), probs: fc.array(probability, { minLength: 1, maxLength: k }) },
    { requiredKeys: ['t', 'p'] },
  );
const classNames = ['c0', 'c1', 'c2', 'c3', 'c4'];
for (const [k, holdsProbabilities] of [
  [2, false],
  [5, false],
  [2, true],
  [5, true],
] as const) {
  checkLaws<ClassificationState, ClassEvent, unknown>({
    name: `ClassificationState (${k} classes${holdsProbabilities ? ', histograms allocated with each class' : ''})`,
    make: (role) => new ClassificationState(role, holdsProbabilities),
    add: (s, e) => s.add(e.t, e.p, e.probs),
    merge: (s, o) => s.merge(o),
    subtract: (s, o) => s.subtract(o),
    clear: (s) => s.clear(),
    observe: (s) => ({ labeled: s.labeled, scored: s.scored, metrics: classificationMetrics(s, classNames.slice(0, k)) }),
    events: fc.array(classEvent(k), { maxLength: 60 }),
  });
}

// The adaptive ROC AUC grid: states of one window share a ScoreGrid, whose cells only coarsen, so
// the laws hold on that grid. A fresh grid for each generated case; 6 cells make it coarsen
// (and move every state's counts) within a few events, the default 1,022 hardly ever here.
let grid = new ScoreGrid();
for (const [k, holdsProbabilities, cells] of [
  [2, false, undefined],
  [5, true, undefined],
  [2, true, 6],
  [5, false, 6],
] as const) {
  checkLaws<ClassificationState, ClassEvent, unknown>({
    name: `ClassificationState (${k} classes, on a shared adaptive score grid of ${cells ?? 'default'} cells)`,
    make: (role) => new ClassificationState(role, holdsProbabilities, grid),
    add: (s, e) => s.add(e.t, e.p, e.probs),
    merge: (s, o) => s.merge(o),
    subtract: (s, o) => s.subtract(o),
    clear: (s) => s.clear(),
    observe: (s) => ({ labeled: s.labeled, scored: s.scored, metrics: classificationMetrics(s, classNames.slice(0, k)) }),
    events: fc.array(classEvent(k), { maxLength: 60 }).map((events) => {
      grid = cells === undefined ? new ScoreGrid() : new ScoreGrid(cells, 16, 47);
      return events;
    }),
  });
}

// ---------------------------------------------------------------- regression

// Tiny and subnormal values too: errors either side of TINY_ERROR (2^-500) go to different sums.
const finite = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.double({ min: -1e-150, max: 1e-150, noNaN: true }),
  fc.constantFrom(0, 1e-300, -3.5, 1e100, 1e-320, -5e-324, 2 ** -500, -(2 ** -501), 1e-160),
);
checkLaws<RegressionState, [number, number], unknown>({
  name: 'RegressionState',
  make: () => new RegressionState(),
  add: (s, [t, p]) => s.add(t, p),
  merge: (s, o) => s.merge(o),
  subtract: (s, o) => s.subtract(o),
  clear: (s) => s.clear(),
  observe: (s) => regressionMetrics(s),
  events: fc.array(fc.tuple(finite, finite), { maxLength: 80 }),
});
