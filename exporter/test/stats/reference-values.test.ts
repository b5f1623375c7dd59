import { beforeAll, describe, expect, it } from 'vitest';
import {
  CategoricalFeatureState,
  ClassificationState,
  NumericFeatureState,
  RegressionState,
  buildFeatureReference,
  categoricalDrift,
  classificationMetrics,
  ksPValue,
  numericDrift,
  regressionMetrics,
  type CategoricalFeatureReference,
  type NumericFeatureReference,
} from '../../src/stats/index.js';
import { close, generateReferenceData, type NumericCase, type ReferenceData } from './reference-data.js';

let data: ReferenceData;
beforeAll(() => {
  data = generateReferenceData();
});

/** Reported at the end: how far the bounded-memory estimates were from sklearn/SciPy. */
const worst = { auc: 0, ks: 0 };

function expectClose(actual: number | undefined, expected: number, what: string, abs = 1e-12, rel = 1e-9): void {
  expect(actual, what).toBeTypeOf('number');
  if (!close(actual as number, expected, abs, rel)) expect.fail(`${what}: got ${actual}, sklearn/scipy says ${expected}`);
}

describe('classification metrics vs scikit-learn', () => {
  it('covers the required cases', () => {
    expect(data.classification.map((c) => c.name)).toEqual(
      expect.arrayContaining(['binary_balanced', 'binary_skewed', 'multiclass_full', 'multiclass_partial', 'single_class']),
    );
  });

  for (const name of ['binary_balanced', 'binary_skewed', 'multiclass_full', 'multiclass_partial', 'single_class']) {
    it(name, () => {
      const c = data.classification.find((x) => x.name === name)!;
      const s = new ClassificationState();
      for (const e of c.events) s.add(e.t, e.p, e.probs ?? undefined);
      const m = classificationMetrics(s, c.classNames)!;
      expect(m.labeled).toBe(c.events.length);
      expectClose(m.accuracy, c.expected.accuracy, 'accuracy');
      expect(Object.keys(m.perClass).sort()).toEqual(Object.keys(c.expected.perClass).sort());
      for (const [cls, e] of Object.entries(c.expected.perClass)) {
        expectClose(m.perClass[cls].precision, e.precision, `${cls} precision`);
        expectClose(m.perClass[cls].recall, e.recall, `${cls} recall`);
        expectClose(m.perClass[cls].f1, e.f1, `${cls} f1`);
        expect(m.perClass[cls].support).toBe(e.support);
      }
      for (const avg of ['macro', 'weighted'] as const) {
        expectClose(m[avg].precision, c.expected[avg].precision, `${avg} precision`);
        expectClose(m[avg].recall, c.expected[avg].recall, `${avg} recall`);
        expectClose(m[avg].f1, c.expected[avg].f1, `${avg} f1`);
      }
      if (c.expected.logLoss === null) expect(m.logLoss).toBeUndefined();
      else expectClose(m.logLoss, c.expected.logLoss, 'log loss');
      if (c.expected.rocAuc === null) {
        expect(m.rocAuc).toBeUndefined();
      } else {
        expectClose(m.rocAuc, c.expected.rocAuc, 'ROC AUC', 0.005, 0);
        worst.auc = Math.max(worst.auc, Math.abs(m.rocAuc! - c.expected.rocAuc));
      }
      if (c.expected.sklearnOvrMacro !== undefined) expectClose(m.rocAuc, c.expected.sklearnOvrMacro, 'ROC AUC (sklearn ovr)', 0.005, 0);
    });
  }

  it('ROC AUC within 0.005 of sklearn across varied score shapes', () => {
    expect(data.aucSweep.length).toBeGreaterThanOrEqual(20);
    for (const [i, c] of data.aucSweep.entries()) {
      const s = new ClassificationState();
      c.y.forEach((y, j) => s.add(y, c.scores[j] >= 0.5 ? 1 : 0, [1 - c.scores[j], c.scores[j]]));
      const auc = classificationMetrics(s, ['0', '1'])!.rocAuc!;
      expectClose(auc, c.auc, `sweep #${i} ROC AUC`, 0.005, 0);
      worst.auc = Math.max(worst.auc, Math.abs(auc - c.auc));
    }
  });
});

describe('regression metrics vs scikit-learn', () => {
  it('MAE and RMSE', () => {
    const c = data.regression[0];
    const s = new RegressionState();
    for (const [t, p] of c.events) s.add(t, p);
    const m = regressionMetrics(s)!;
    expect(m.labeled).toBe(c.events.length);
    expectClose(m.mae, c.expected.mae, 'MAE');
    expectClose(m.rmse, c.expected.rmse, 'RMSE');
  });

  it('MAE and RMSE where float64 squares underflow (1e-320, 1e-200, 1e-160) and near the largest error, in any order and window split', () => {
    const names = ['subnormal_equal', 'subnormal_varied', 'tiny', 'subnormal_squares', 'threshold', 'tiny_and_ordinary', 'large'];
    expect(data.regressionExtremes.map((c) => c.name)).toEqual(names);
    const build = (events: Array<[number, number]>) => {
      const s = new RegressionState();
      for (const [t, p] of events) s.add(t, p);
      return s;
    };
    for (const c of data.regressionExtremes) {
      const m = regressionMetrics(build(c.events))!;
      expectUlps(m.mae, c.expected.mae, 2, `${c.name} MAE`);
      expectUlps(m.rmse, c.expected.rmse, 2, `${c.name} RMSE`);
      expectUlps(m.rmse, c.expected.numpyScaled, 4, `${c.name} RMSE vs NumPy on scaled errors`);
      // Bit for bit the same reversed, and as a window: three buckets merged into a total, one subtracted.
      expect(regressionMetrics(build([...c.events].reverse())), c.name).toEqual(m);
      const third = Math.ceil(c.events.length / 3);
      const [a, b, d] = [0, 1, 2].map((k) => build(c.events.slice(k * third, (k + 1) * third)));
      const total = build([]);
      for (const bucket of [d, b, a]) total.merge(bucket);
      expect(regressionMetrics(total), c.name).toEqual(m);
      total.subtract(d);
      expect(regressionMetrics(total), c.name).toEqual(regressionMetrics(build(c.events.slice(0, 2 * third))));
    }
    const byName = new Map(data.regressionExtremes.map((c) => [c.name, c]));
    // Equal errors of 1e-320: RMSE is the error itself, exactly.
    expect(regressionMetrics(build(byName.get('subnormal_equal')!.events))!.rmse).toBe(1e-320);
    // Where squares underflow, sklearn's float64 formula says 0 (what the exporter exported too).
    for (const name of ['subnormal_equal', 'subnormal_varied', 'tiny']) expect(byName.get(name)!.expected.sklearnRmse, name).toBe(0);
  });
});

/** |actual − expected| within `ulps` units in the last place of `expected` (2^-1074 for subnormals). */
function expectUlps(actual: number | undefined, expected: number, ulps: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  const a = Math.abs(expected);
  const ulp = a < 2 ** -1022 ? 2 ** -1074 : 2 ** (Math.floor(Math.log2(a)) - 52);
  if (!(Math.abs((actual as number) - expected) <= ulps * ulp)) expect.fail(`${what}: got ${actual}, the exact value is ${expected}`);
}

function runNumeric(c: NumericCase): { ref: NumericFeatureReference; drift: ReturnType<typeof numericDrift> } {
  const ref = buildFeatureReference(c.reference, { maxCategories: 10 });
  if (ref.kind !== 'numeric') throw new Error('expected a numeric reference');
  const s = new NumericFeatureState(ref);
  for (const v of c.window) {
    if (v === null) s.addMissing();
    else s.add(v);
  }
  return { ref, drift: numericDrift(ref, s) };
}

describe('numeric drift vs NumPy/SciPy', () => {
  it('covers the required cases', () => {
    expect(data.numeric.map((c) => c.name)).toEqual(
      expect.arrayContaining(['shifted_normal', 'same_distribution', 'heavy_ties', 'constant_reference']),
    );
  });

  const names = [
    'shifted_normal',
    'same_distribution',
    'heavy_ties',
    'constant_reference',
    'atom_below',
    'small_reference',
    'tiny_reference_20',
    'tiny_reference_60',
    'few_distinct_values',
  ];
  for (const name of names) {
    it(name, () => {
      const c = data.numeric.find((x) => x.name === name)!;
      const { ref, drift } = runNumeric(c);
      const e = c.expected;
      expect(ref.count).toBe(e.count);
      expect(ref.min).toBe(e.min);
      expect(ref.max).toBe(e.max);
      // Cut points are bit-identical to numpy.quantile's.
      expect(ref.edges).toEqual(e.edges);
      expect(ref.psiEdges).toEqual(e.psiEdges);
      for (const p of ref.psiEdges) expect(ref.edges).toContain(p);
      ref.psiRefProportions.forEach((p, i) => expectClose(p, e.psiRefProportions[i], `ref proportion ${i}`));
      expect(drift).toBeDefined();
      expectClose(drift!.psi, e.psi, 'PSI', 1e-12, 1e-9);
      expectClose(drift!.missingRatio, e.missingRatio, 'missing ratio');
      expectClose(drift!.outOfRangeRatio, e.outOfRangeRatio, 'out-of-range ratio');
      checkKs(drift!, e);
    });
  }

  it('KS is exact for references of at most 200 distinct values, however small', () => {
    for (const name of ['tiny_reference_20', 'tiny_reference_60', 'few_distinct_values', 'heavy_ties']) {
      const c = data.numeric.find((x) => x.name === name)!;
      expect(c.expected.ksBound, name).toBe(0);
      expect(c.expected.ksStatistic, name).toBeGreaterThan(0.05); // drifted: exactness is not vacuous
      expect(Math.abs(runNumeric(c).drift!.ksStatistic - c.expected.ksStatistic), name).toBeLessThanOrEqual(1e-12);
    }
  });

  it('KS statistic within the documented bound across varied shapes', () => {
    expect(data.ksSweep.length).toBeGreaterThanOrEqual(10);
    for (const c of data.ksSweep) {
      const { drift } = runNumeric(c);
      checkKs(drift!, c.expected);
      expectClose(drift!.psi, c.expected.psi, `${c.name} PSI`);
    }
  });

  it("KS p-value equals scipy.stats.ks_2samp(method='asymp'): kstwo.sf(d, round(en))", () => {
    expect(data.ksPValues.length).toBeGreaterThan(40);
    for (const g of data.ksPValues) {
      // Both sides sum rapidly converging series in double precision; 1e-12 absolute plus
      // 1e-9 relative leaves room for rounding only (the tails reach 1e-300).
      expectClose(ksPValue(g.d, g.n, g.m), g.p, `p(d=${g.d}, n=${g.n}, m=${g.m})`, 1e-12, 1e-9);
    }
  });
});

/**
 * KS statistic: 0 ≤ D_scipy − D ≤ ceil((n−1)/200)/n (proved in numeric-drift.ts), and that bound
 * is < 0.01 for every case here. The p-value then lies between SciPy's kstwo.sf at D_scipy
 * and at D_scipy − bound, since it decreases with D.
 */
function checkKs(drift: NonNullable<ReturnType<typeof numericDrift>>, e: NumericCase['expected']): void {
  const err = e.ksStatistic - drift.ksStatistic;
  worst.ks = Math.max(worst.ks, Math.abs(err));
  expect(e.ksBound).toBeLessThan(0.01);
  if (!(err >= -1e-12 && err <= e.ksBound + 1e-12)) {
    expect.fail(`KS ${drift.ksStatistic} vs scipy ${e.ksStatistic}: error ${err} outside [0, ${e.ksBound}]`);
  }
  expect(drift.ksPValue).toBeGreaterThanOrEqual(e.ksPValueAtD * (1 - 1e-9));
  expect(drift.ksPValue).toBeLessThanOrEqual(e.ksPValueAtDMinusBound * (1 + 1e-9) + 1e-300);
}

describe('categorical drift vs SciPy', () => {
  for (const name of ['unseen_categories', 'reference_tail', 'same_distribution']) {
    it(name, () => {
      const c = data.categorical.find((x) => x.name === name)!;
      const ref = buildFeatureReference(c.reference, { maxCategories: c.maxCategories }) as CategoricalFeatureReference;
      expect(ref.kind).toBe('categorical');
      expect(ref.categories).toEqual(c.expected.categories);
      expect(ref.counts).toEqual(c.expected.counts);
      const s = new CategoricalFeatureState(ref, c.maxCategories);
      const hasTail = ref.categories.includes('__other__');
      for (const v of c.window) {
        if (v === null) {
          s.addMissing();
          continue;
        }
        const kept = s.add(v);
        // Unseen categories must keep their identity here (no slot collision), otherwise PSI
        // would be computed over lumped categories and could not match SciPy's per-category one.
        if (!hasTail) expect(kept, `category ${v}`).toBe(true);
        else expect(kept).toBe(ref.categories.includes(v));
      }
      const names = s
        .categoryCounts()
        .filter((x) => x.count > 0 || x.inReference)
        .map((x) => x.category);
      expect(names.sort()).toEqual([...c.expected.union].sort());
      const d = categoricalDrift(ref, s)!;
      expectClose(d.jsDistance, c.expected.jsDistance, 'JS distance');
      expectClose(d.psi, c.expected.psi, 'categorical PSI');
      expectClose(d.missingRatio, c.expected.missingRatio, 'missing ratio');
    });
  }
});

describe('categorical drift with colliding unseen categories', () => {
  it('keeps the JS distance exact when every unseen category shares one slot', () => {
    const c = data.categorical.find((x) => x.name === 'unseen_categories')!;
    const ref = buildFeatureReference(c.reference, { maxCategories: c.maxCategories }) as CategoricalFeatureReference;
    const s = new CategoricalFeatureState(ref, 1);
    const lost = new Set<string>();
    for (const v of c.window) {
      if (v === null) s.addMissing();
      else if (!s.add(v)) lost.add(v);
    }
    expect(lost.size).toBe(c.expected.union.length - ref.categories.length - 1);
    // An unseen category contributes q·ln2/2 to the JS divergence, linear in q: lumping is lossless.
    expectClose(categoricalDrift(ref, s)!.jsDistance, c.expected.jsDistance, 'JS distance');
  });
});

describe('report', () => {
  it('worst observed errors vs sklearn/SciPy', () => {
    // Printed for the record (see the final report); the assertions above bound them.
    console.log(`stats: worst |ROC AUC − sklearn| = ${worst.auc.toExponential(3)}, worst |KS − scipy| = ${worst.ks.toExponential(3)}`);
    expect(worst.auc).toBeLessThanOrEqual(0.005);
    expect(worst.ks).toBeLessThan(0.01);
  });
});
