import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CategoricalFeatureState,
  ClassificationState,
  ExactSum,
  InvalidReferenceError,
  NumericFeatureState,
  RegressionState,
  buildFeatureReference,
  categoricalDrift,
  classificationMetrics,
  featureMissingRatio,
  ksPValue,
  numericDrift,
  psiFromProportions,
  regressionMetrics,
  type CategoricalFeatureReference,
  type NumericFeatureReference,
} from '../../src/stats/index.js';
import { BinCounts, CountRing } from '../../src/stats/counts.js';
import { SCORE_BINS } from '../../src/stats/score-histogram.js';

const numericRef = buildFeatureReference([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null], { maxCategories: 5 }) as NumericFeatureReference;
const categoricalRef = buildFeatureReference(['a', 'b', 'b', null], { maxCategories: 5 }) as CategoricalFeatureReference;

describe('buildFeatureReference', () => {
  it.each([
    ['mixed types', [1, 'a'], /mixed types/],
    ['NaN', [1, Number.NaN], /not a finite number/],
    ['Infinity', [Number.POSITIVE_INFINITY], /not a finite number/],
    ['only missing values', [null, null], /no non-missing value/],
    ['an empty sample', [], /no non-missing value/],
    ['a boolean', [true], /unsupported type boolean/],
  ])('rejects %s with a message saying why', (_label, values, message) => {
    const build = () => buildFeatureReference(values as Array<number | string | null>, { maxCategories: 5 });
    expect(build).toThrow(InvalidReferenceError);
    expect(build).toThrow(message);
  });

  it('profiles a numeric sample: counts, range, cut points and their CDF', () => {
    expect(numericRef).toMatchObject({ kind: 'numeric', count: 10, missing: 1, min: 1, max: 10 });
    expect(numericRef.psiEdges).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1].map((x) => expect.closeTo(x, 12)));
    expect(numericRef.psiRefProportions).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map((x) => expect.closeTo(x, 15)));
    // 199 quantile cut points plus the 10 distinct values (few enough to make KS exact).
    expect(numericRef.edges.length).toBe(209);
    for (let v = 1; v <= 10; v++) expect(numericRef.edges).toContain(v);
    expect(numericRef.edges[0]).toBe(1);
    expect(numericRef.cdfAtEdges[0]).toBe(0.1);
    expect(numericRef.cdfBelowEdges[0]).toBe(0);
    expect(numericRef.cdfAtEdges[numericRef.edges.length - 1]).toBe(1);
  });

  it('keeps the top categories by count, folds the rest (and a literal __other__) into __other__', () => {
    const ref = buildFeatureReference(['x', 'y', 'y', 'z', 'z', 'z', 'w', '__other__', null], { maxCategories: 2 });
    expect(ref).toEqual({ kind: 'categorical', count: 8, missing: 1, categories: ['z', 'y', '__other__'], counts: [3, 2, 3] });
  });
});

describe('empty and all-missing windows', () => {
  it('every metric of an empty window is undefined', () => {
    expect(numericDrift(numericRef, new NumericFeatureState(numericRef))).toBeUndefined();
    expect(categoricalDrift(categoricalRef, new CategoricalFeatureState(categoricalRef, 5))).toBeUndefined();
    expect(classificationMetrics(new ClassificationState(), ['a', 'b'])).toBeUndefined();
    expect(regressionMetrics(new RegressionState())).toBeUndefined();
    expect(featureMissingRatio(new NumericFeatureState(numericRef))).toBeUndefined();
  });

  it('an all-missing window has no drift but a missing ratio of 1', () => {
    const n = new NumericFeatureState(numericRef);
    const c = new CategoricalFeatureState(categoricalRef, 5);
    for (let i = 0; i < 3; i++) {
      n.addMissing();
      c.addMissing();
    }
    n.add(Number.NaN);
    expect(n.missing).toBe(4);
    expect(numericDrift(numericRef, n)).toBeUndefined();
    expect(categoricalDrift(categoricalRef, c)).toBeUndefined();
    expect(featureMissingRatio(n)).toBe(1);
    expect(featureMissingRatio(c)).toBe(1);
  });

  it('a window emptied by subtract is empty again', () => {
    const total = new ClassificationState();
    const bucket = new ClassificationState();
    for (const s of [total, bucket]) s.add(1, 0, [0.3, 0.7]);
    total.subtract(bucket);
    expect(classificationMetrics(total, ['a', 'b'])).toBeUndefined();
  });
});

describe('numeric window values', () => {
  it('counts out-of-range values, ±Infinity included', () => {
    const s = new NumericFeatureState(numericRef);
    for (const v of [0, 1, 10, 10.5, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 5]) s.add(v);
    expect(s.outOfRange).toBe(4);
    expect(numericDrift(numericRef, s)!.outOfRangeRatio).toBeCloseTo(4 / 7, 15);
  });

  it('a window identical to the reference has no drift', () => {
    const s = new NumericFeatureState(numericRef);
    for (let v = 1; v <= 10; v++) s.add(v);
    const d = numericDrift(numericRef, s)!;
    expect(d.psi).toBe(0);
    expect(d.ksStatistic).toBe(0);
    expect(d.ksPValue).toBe(1);
  });
});

describe('classification edge cases', () => {
  it('a single class present: per-class entry for it only, no ROC AUC, numbers everywhere', () => {
    const s = new ClassificationState();
    for (let i = 0; i < 5; i++) s.add(0, 0, [0.9, 0.1]);
    const m = classificationMetrics(s, ['only', 'other'])!;
    expect(Object.keys(m.perClass)).toEqual(['only']);
    expect(m.accuracy).toBe(1);
    expect(m.rocAuc).toBeUndefined();
    expect(m.logLoss).toBeCloseTo(-Math.log(0.9), 12);
  });

  it('no log loss or ROC AUC without probabilities', () => {
    const s = new ClassificationState();
    s.add(0, 1);
    s.add(1, 1);
    const m = classificationMetrics(s, ['a', 'b'])!;
    expect(m.logLoss).toBeUndefined();
    expect(m.rocAuc).toBeUndefined();
    expect(m.perClass.a).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('a probability vector shorter than the class count means 0 for the missing classes', () => {
    const short = new ClassificationState();
    const padded = new ClassificationState();
    const events: Array<[number, number, number[]]> = [
      [0, 0, [0.8]],
      [1, 2, [0.1, 0.3, 0.6]],
      [2, 2, [0.2, 0.1, 0.7]],
      [2, 0, [0.5, 0.5]],
      [1, 1, [0.1, 0.9]],
    ];
    for (const [t, p, probs] of events) {
      short.add(t, p, probs);
      padded.add(t, p, [...probs, 0, 0, 0].slice(0, 3));
    }
    expect(classificationMetrics(short, ['a', 'b', 'c'])).toEqual(classificationMetrics(padded, ['a', 'b', 'c']));
    // The first event's true-class probability is clipped, not zero: log loss stays finite.
    expect(classificationMetrics(short, ['a', 'b', 'c'])!.logLoss).toBeLessThan(35);
  });

  it('rejects bad input without changing the state', () => {
    const s = new ClassificationState();
    s.add(0, 1, [0.4, 0.6]);
    const before = classificationMetrics(s, ['a', 'b']);
    expect(() => s.add(-1, 0)).toThrow(RangeError);
    expect(() => s.add(0, 0.5)).toThrow(RangeError);
    expect(() => s.add(0, 0, [0.5, Number.NaN])).toThrow(RangeError);
    expect(() => s.add(0, 0, [1.5])).toThrow(RangeError);
    expect(classificationMetrics(s, ['a', 'b'])).toEqual(before);
    expect(() => classificationMetrics(s, ['a'])).toThrow(RangeError);
  });

  it('refuses to subtract what was never merged, leaving the state as it was', () => {
    const s = new ClassificationState();
    s.add(0, 0, [0.6, 0.4]);
    const other = new ClassificationState();
    other.add(1, 1, [0.2, 0.8]);
    const before = classificationMetrics(s, ['a', 'b']);
    expect(() => s.subtract(other)).toThrow(/not merged/);
    expect(classificationMetrics(s, ['a', 'b'])).toEqual(before);

    const n = new NumericFeatureState(numericRef);
    const m = new NumericFeatureState(numericRef);
    m.add(3);
    expect(() => n.subtract(m)).toThrow(/not merged/);
    expect(n.count).toBe(0);
  });
});

describe('memory is fixed by the reference and class count, not by traffic', () => {
  it('states keep their size over 50,000 events', () => {
    const n = new NumericFeatureState(numericRef);
    const c = new CategoricalFeatureState(categoricalRef, 4);
    const k = new ClassificationState();
    for (let i = 0; i < 50_000; i++) {
      n.add(Math.sin(i) * 20);
      c.add(`value-${i}`);
      k.add(i % 3, (i * 7) % 3, [0.2, 0.3, 0.5]);
    }
    expect(n.fineCounts().length).toBe(2 * numericRef.edges.length + 1);
    expect(c.categoryCounts().length).toBeLessThanOrEqual(categoricalRef.categories.length + 4 + 1);
    expect(k.classCount).toBe(3);
    expect(k.histograms(2)!.positives.length).toBe(SCORE_BINS);
  });

  it('the fine grid stays under 400 cut points: all distinct values up to 200, the quantiles alone past that', () => {
    const at200 = buildFeatureReference(
      Array.from({ length: 1000 }, (_, i) => (i % 200) ** 1.5),
      { maxCategories: 5 },
    ) as NumericFeatureReference;
    const at201 = buildFeatureReference(
      Array.from({ length: 1000 }, (_, i) => (i % 201) ** 1.5),
      { maxCategories: 5 },
    ) as NumericFeatureReference;
    expect(at200.edges.length).toBeLessThanOrEqual(399);
    for (let v = 0; v < 200; v++) expect(at200.edges).toContain(v ** 1.5);
    expect(at201.edges.length).toBeLessThanOrEqual(199);
    expect(at201.edges).not.toContain(0);
    for (const r of [at200, at201]) {
      for (let i = 1; i < r.edges.length; i++) expect(r.edges[i]).toBeGreaterThan(r.edges[i - 1]);
      for (const p of r.psiEdges) expect(r.edges).toContain(p);
    }
  });
});

describe('helpers', () => {
  it('BinCounts behaves like a plain array, widening bucket counts past 16 and 32 bits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('bucket' as const, 'total' as const),
        fc.array(fc.tuple(fc.nat(99), fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(40_000, 2 ** 31, 2 ** 33)))),
        (role, ops) => {
          const counts = new BinCounts(100, role);
          const plain = new Float64Array(100);
          for (const [i, n] of ops) {
            counts.increment(i, n);
            plain[i] += n;
          }
          expect(Array.from(counts.toArray())).toEqual(Array.from(plain));
          expect(Array.from(counts.view())).toEqual(Array.from(plain));
          const copy = new BinCounts(100, role);
          copy.add(counts);
          expect(Array.from(copy.view())).toEqual(Array.from(plain));
          copy.subtract(counts);
          expect(copy.toArray().every((x) => x === 0)).toBe(true);
          if (ops.length > 0) expect(() => copy.subtract(counts)).toThrow(/not merged/);
          expect(() => copy.increment(0, -1)).toThrow(RangeError);
        },
      ),
    );
  });

  it('rows of one CountRing widen together and keep their own counts', () => {
    const ring = new CountRing(3);
    const rows = [0, 1, 2].map((row) => new BinCounts(4, { ring, row }));
    rows[0].increment(1, 7);
    rows[2].increment(3, 70_000); // past 16 bits: the whole column widens
    rows[1].increment(0, 2);
    expect(rows.map((r) => Array.from(r.view()))).toEqual([
      [0, 7, 0, 0],
      [2, 0, 0, 0],
      [0, 0, 0, 70_000],
    ]);
    rows[2].clear();
    expect(Array.from(rows[0].view())).toEqual([0, 7, 0, 0]);
    expect(Array.from(rows[2].view())).toEqual([0, 0, 0, 0]);
    const total = new BinCounts(4);
    for (const r of rows) total.add(r);
    expect(Array.from(total.view())).toEqual([2, 7, 0, 0]);
    expect(() => new BinCounts(5, { ring, row: 0 })).toThrow(/same shape/);
    expect(() => new BinCounts(4, { ring, row: 3 })).toThrow(/row outside/);
  });

  it('numericDrift accepts a profile stored without cdfBelowEdges (older format)', () => {
    const { cdfBelowEdges: _dropped, ...legacy } = numericRef;
    const s = new NumericFeatureState(numericRef);
    for (const v of [2, 3, 3, 9]) s.add(v);
    const d = numericDrift(legacy as NumericFeatureReference, s)!;
    expect(Number.isFinite(d.ksStatistic)).toBe(true);
    expect(d.psi).toBe(numericDrift(numericRef, s)!.psi);
  });

  it('a profile stored before distinct values became cut points still loads, within the grid bound', () => {
    // Older profiles hold the quantile cut points only; drop the added sample values to get one.
    const sample = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const keep = numericRef.edges.map((e, i) => (sample.includes(e) ? -1 : i)).filter((i) => i >= 0);
    const older: NumericFeatureReference = {
      ...numericRef,
      edges: keep.map((i) => numericRef.edges[i]),
      cdfAtEdges: keep.map((i) => numericRef.cdfAtEdges[i]),
      cdfBelowEdges: keep.map((i) => numericRef.cdfBelowEdges[i]),
    };
    const stored = JSON.parse(JSON.stringify(older)) as NumericFeatureReference;
    const window = [2.5, 3, 3, 3.5, 9, 11];
    const exact = new NumericFeatureState(numericRef);
    const old = new NumericFeatureState(stored);
    for (const v of window) {
      exact.add(v);
      old.add(v);
    }
    // Exact two-sample KS by brute force over every sample point.
    const cdf = (xs: number[], t: number, strict: boolean) => xs.filter((x) => (strict ? x < t : x <= t)).length / xs.length;
    let dTrue = 0;
    for (const t of [...sample, ...window]) {
      for (const strict of [false, true]) dTrue = Math.max(dTrue, Math.abs(cdf(sample, t, strict) - cdf(window, t, strict)));
    }
    expect(numericDrift(numericRef, exact)!.ksStatistic).toBeCloseTo(dTrue, 12);
    const dOld = numericDrift(stored, old)!;
    expect(dTrue - dOld.ksStatistic).toBeGreaterThanOrEqual(-1e-12);
    expect(dTrue - dOld.ksStatistic).toBeLessThanOrEqual(Math.ceil((sample.length - 1) / 200) / sample.length + 1e-12);
    expect(dOld.psi).toBe(numericDrift(numericRef, exact)!.psi);
  });

  it('psiFromProportions floors at 1e-4 and is 0 for identical bins', () => {
    expect(psiFromProportions([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(psiFromProportions([1, 0], [0, 1])).toBeCloseTo(2 * (1 - 1e-4) * Math.log(1 / 1e-4), 12);
    expect(() => psiFromProportions([1], [0.5, 0.5])).toThrow(RangeError);
  });

  it('ksPValue is 1 at d = 0, tiny for a large d, and refuses empty samples', () => {
    expect(ksPValue(0, 10, 10)).toBe(1);
    expect(ksPValue(1, 10_000, 10_000)).toBe(0);
    expect(() => ksPValue(0.1, 0, 10)).toThrow(RangeError);
  });

  it('ExactSum is exact where naive summation is not', () => {
    const s = new ExactSum();
    for (const x of [1e100, 1, -1e100]) s.add(x);
    expect(s.value()).toBe(1);
    const t = new ExactSum();
    for (let i = 0; i < 10; i++) t.add(0.1);
    expect(t.value()).toBe(1);
    const u = new ExactSum();
    u.merge(t);
    u.subtract(t);
    expect(u.value()).toBe(0);
  });

  it('ExactSum is independent of term order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e200, max: 1e200, noNaN: true })), (xs) => {
        const a = new ExactSum();
        const b = new ExactSum();
        xs.forEach((x) => a.add(x));
        [...xs].reverse().forEach((x) => b.add(x));
        expect(a.value()).toBe(b.value());
      }),
    );
  });
});

describe('no NaN where a number is promised', () => {
  const finiteNumbers = (o: unknown): boolean =>
    typeof o === 'number' ? Number.isFinite(o) : typeof o === 'object' && o !== null ? Object.values(o).every(finiteNumbers) : true;

  it('over arbitrary small windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(null))),
        fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.constant(null))),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3), fc.option(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 })))),
        (numbers, strings, events) => {
          const n = new NumericFeatureState(numericRef);
          numbers.forEach((v) => (v === null ? n.addMissing() : n.add(v)));
          const c = new CategoricalFeatureState(categoricalRef, 3);
          strings.forEach((v) => (v === null ? c.addMissing() : c.add(v)));
          const k = new ClassificationState();
          events.forEach(([t, p, probs]) => k.add(t, p, probs ?? undefined));
          for (const result of [
            numericDrift(numericRef, n),
            categoricalDrift(categoricalRef, c),
            classificationMetrics(k, ['a', 'b', 'c', 'd']),
          ]) {
            expect(finiteNumbers(result)).toBe(true);
          }
        },
      ),
    );
  });
});
