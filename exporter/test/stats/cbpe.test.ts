import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EstimateState,
  applyIsotonic,
  binaryPositiveClass,
  estimateBinary,
  estimateMulticlass,
  estimatedMetrics,
  fitBinaryCalibration,
  fitIsotonic,
  fitMulticlassCalibration,
  newEstimateState,
  CalibrationInputError,
  type MulticlassCalibration,
} from '../../src/stats/index.js';
import { close, generateReferenceData } from './reference-data.js';

interface Expected {
  count: number;
  accuracy: number;
  accuracyLower: number;
  accuracyUpper: number;
  realizedAccuracy: number;
}
interface CbpeData {
  binary: {
    reference: { labels: string[]; scores: number[] };
    thresholds: { x: number[]; y: number[] };
    eceBefore: number;
    eceAfter: number;
    windows: Array<{
      scores: number[];
      predictions: number[];
      expected: Expected & { precision: number; recall: number; f1: number; rocAuc: number | null };
    }>;
  };
  multiclass: {
    reference: { labels: string[]; scores: Array<Record<string, number>> };
    thresholds: Array<{ x: number[]; y: number[] }>;
    eceBefore: number;
    eceAfter: number;
    windows: Array<{
      scores: Array<Record<string, number>>;
      predictions: string[];
      expected: Expected & {
        perClass: Record<string, { precision: number; recall: number; f1: number }>;
        macro: { precision: number; recall: number; f1: number };
      };
    }>;
  };
  isotonic: Array<{ x: number[]; y: number[]; thresholdsX: number[]; thresholdsY: number[]; probe: number[]; predicted: number[] }>;
}

let data: CbpeData;

/** numpy.interp over sklearn's thresholds, clipped (what IsotonicRegression.predict does). */
function interp(t: { x: number[]; y: number[] }, v: number): number {
  if (v <= t.x[0]) return t.y[0];
  const last = t.x.length - 1;
  if (v >= t.x[last]) return t.y[last];
  let i = 0;
  while (t.x[i + 1] <= v) i++;
  if (t.x[i] === v) return t.y[i];
  return t.y[i] + ((t.y[i + 1] - t.y[i]) * (v - t.x[i])) / (t.x[i + 1] - t.x[i]);
}
beforeAll(() => {
  data = (generateReferenceData() as unknown as { cbpe: CbpeData }).cbpe;
});

function expectClose(actual: number | undefined, expected: number, what: string, abs = 1e-9): void {
  expect(actual, what).toBeTypeOf('number');
  if (!close(actual as number, expected, abs, 0)) expect.fail(`${what}: got ${actual}, the reference script says ${expected}`);
}

function expectArrayClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i], `${what}[${i}]`));
}

describe('isotonic regression vs sklearn IsotonicRegression(out_of_bounds="clip")', () => {
  it('has the same knots and predictions on ties, duplicates and noisy targets', () => {
    expect(data.isotonic.length).toBeGreaterThan(5);
    for (const [i, c] of data.isotonic.entries()) {
      const map = fitIsotonic(c.x, c.y);
      expectArrayClose(map.x, c.thresholdsX, `case ${i} X_thresholds_`);
      expectArrayClose(map.y, c.thresholdsY, `case ${i} y_thresholds_`);
      expectArrayClose(
        c.probe.map((v) => applyIsotonic(map, v)),
        c.predicted,
        `case ${i} predict`,
      );
    }
  });

  it('is monotone and clipped to its fitted range for any data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (rows, probes) => {
          const map = fitIsotonic(
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
          );
          const sorted = [...probes].sort((a, b) => a - b);
          const values = sorted.map((v) => applyIsotonic(map, v));
          for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] - 1e-12);
          for (const v of values) {
            expect(v).toBeGreaterThanOrEqual(map.y[0] - 1e-12);
            expect(v).toBeLessThanOrEqual(map.y[map.y.length - 1] + 1e-12);
          }
        },
      ),
    );
  });
});

describe('binary CBPE vs the reference script', () => {
  it('fits the calibration map sklearn fits, and reports ECE before and after', () => {
    const c = data.binary;
    const cal = fitBinaryCalibration(c.reference.labels, c.reference.scores, '1');
    expectArrayClose(cal.map.x, c.thresholds.x, 'X_thresholds_');
    expectArrayClose(cal.map.y, c.thresholds.y, 'y_thresholds_');
    expectClose(cal.eceBefore, c.eceBefore, 'ECE before');
    expectClose(cal.eceAfter, c.eceAfter, 'ECE after');
    expect(cal.eceBefore).toBeGreaterThan(0.05);
    expect(cal.count).toBe(c.reference.labels.length);
  });

  it('estimates accuracy, precision, recall, F1, the band and ROC AUC of every window', () => {
    const c = data.binary;
    const cal = fitBinaryCalibration(c.reference.labels, c.reference.scores, '1');
    let worstAuc = 0;
    for (const [i, w] of c.windows.entries()) {
      const s = newEstimateState(cal);
      w.scores.forEach((score, j) => estimateBinary(cal, s, score, w.predictions[j] === 1));
      const m = estimatedMetrics(s, ['0', '1'])!;
      const e = w.expected;
      expect(m.count).toBe(e.count);
      expectClose(m.accuracy, e.accuracy, `window ${i} accuracy`);
      expectClose(m.accuracyLower, e.accuracyLower, `window ${i} lower`);
      expectClose(m.accuracyUpper, e.accuracyUpper, `window ${i} upper`);
      expectClose(m.perClass['1'].precision, e.precision, `window ${i} precision`);
      expectClose(m.perClass['1'].recall, e.recall, `window ${i} recall`);
      expectClose(m.perClass['1'].f1, e.f1, `window ${i} f1`);
      expect(e.rocAuc).not.toBeNull();
      const err = Math.abs(m.rocAuc! - e.rocAuc!);
      if (err > m.rocAucErrorBound! + 1e-12) expect.fail(`window ${i} AUC ${m.rocAuc} vs ${e.rocAuc}, bound ${m.rocAucErrorBound}`);
      worstAuc = Math.max(worstAuc, err);
    }
    // The histogram's stated bound holds above; in practice it is far tighter than the bound.
    expect(worstAuc).toBeLessThan(0.005);
  });

  it('the band holds the realized accuracy in about 95% of seeded windows (calibration holding)', () => {
    const c = data.binary;
    const cal = fitBinaryCalibration(c.reference.labels, c.reference.scores, '1');
    let inside = 0;
    for (const w of c.windows) {
      const s = newEstimateState(cal);
      w.scores.forEach((score, j) => estimateBinary(cal, s, score, w.predictions[j] === 1));
      const m = estimatedMetrics(s, ['0', '1'])!;
      if (m.accuracyLower <= w.expected.realizedAccuracy && w.expected.realizedAccuracy <= m.accuracyUpper) inside++;
    }
    // 200 windows: at a true 95%, fewer than 93% happens with probability ~7% ... 0.5σ margin each way.
    expect(inside / c.windows.length).toBeGreaterThanOrEqual(0.93);
  });

  it('merging window buckets and subtracting expired ones equals estimating the events left', () => {
    const c = data.binary;
    const cal = fitBinaryCalibration(c.reference.labels, c.reference.scores, '1');
    const [a, b] = c.windows;
    const sa = newEstimateState(cal);
    const sb = newEstimateState(cal);
    a.scores.forEach((x, j) => estimateBinary(cal, sa, x, a.predictions[j] === 1));
    b.scores.forEach((x, j) => estimateBinary(cal, sb, x, b.predictions[j] === 1));
    const total = newEstimateState(cal);
    total.merge(sa);
    total.merge(sb);
    total.subtract(sa);
    const m = estimatedMetrics(total, ['0', '1'])!;
    expectClose(m.accuracy, b.expected.accuracy, 'accuracy after subtract');
    expectClose(m.perClass['1'].f1, b.expected.f1, 'f1 after subtract');
    total.subtract(sb);
    expect(total.values.every((v) => v === 0)).toBe(true);
    expect(estimatedMetrics(total, ['0', '1'])).toBeUndefined();
    expect(() => total.subtract(sb)).toThrow(RangeError);
  });
});

describe('multiclass CBPE (one-vs-rest maps, rows renormalised) vs the reference script', () => {
  let cal: MulticlassCalibration;
  beforeAll(() => {
    cal = fitMulticlassCalibration(data.multiclass.reference.labels, data.multiclass.reference.scores);
  });

  it('fits one map per class as sklearn does', () => {
    expect(cal.classes).toEqual(['a', 'b', 'c']);
    // Knots inside a run of equal fitted values are dropped; block means that agree to a few
    // ulps may keep or drop one, so the maps are compared as functions at both sides' knots.
    cal.maps.forEach((m, j) => {
      const ref = data.multiclass.thresholds[j];
      for (const v of [...m.x, ...ref.x]) expectClose(applyIsotonic(m, v), interp(ref, v), `class ${j} at ${v}`);
    });
    expectClose(cal.eceBefore, data.multiclass.eceBefore, 'ECE before');
    expectClose(cal.eceAfter, data.multiclass.eceAfter, 'ECE after');
  });

  it('estimates accuracy, band, per-class and macro precision/recall/F1', () => {
    const scratch = new Float64Array(3);
    for (const [i, w] of data.multiclass.windows.entries()) {
      const s = newEstimateState(cal);
      w.scores.forEach((row, j) =>
        estimateMulticlass(cal, s, (c) => row[cal.classes[c]] ?? 0, cal.classes.indexOf(w.predictions[j]), scratch),
      );
      const m = estimatedMetrics(s, cal.classes)!;
      const e = w.expected;
      expect(m.count).toBe(e.count);
      expectClose(m.accuracy, e.accuracy, `window ${i} accuracy`);
      expectClose(m.accuracyLower, e.accuracyLower, `window ${i} lower`);
      expectClose(m.accuracyUpper, e.accuracyUpper, `window ${i} upper`);
      for (const cls of cal.classes) {
        for (const f of ['precision', 'recall', 'f1'] as const)
          expectClose(m.perClass[cls][f], e.perClass[cls][f], `window ${i} ${cls} ${f}`);
      }
      for (const f of ['precision', 'recall', 'f1'] as const) expectClose(m.macro![f], e.macro[f], `window ${i} macro ${f}`);
      expect(m.rocAuc).toBeUndefined();
    }
  });
});

describe('calibration input rules', () => {
  it('infers the positive class only from labels 0/1, else asks for positive_class', () => {
    expect(binaryPositiveClass(['0', '1', '1'], undefined)).toBe('1');
    expect(binaryPositiveClass(['1', '1'], undefined)).toBe('1');
    expect(binaryPositiveClass(['yes', 'no'], 'yes')).toBe('yes');
    const err = (() => {
      try {
        binaryPositiveClass(['yes', 'no'], undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CalibrationInputError);
    expect((err as CalibrationInputError).path).toBe('positive_class');
    expect(() => binaryPositiveClass(['a', 'b', 'c'], 'a')).toThrow(/two classes/);
    expect(() => binaryPositiveClass(['no', 'maybe'], 'yes')).toThrow(CalibrationInputError);
  });

  it('rejects rows of unequal length', () => {
    expect(() => fitBinaryCalibration(['1', '0'], [0.3], '1')).toThrow(/score has 1 rows but labels has 2/);
    expect(() => fitMulticlassCalibration([], [])).toThrow(/labels must not be empty/);
  });

  it('shapes states per calibration and refuses to mix them', () => {
    const bin = fitBinaryCalibration(['0', '1', '1', '0'], [0.1, 0.9, 0.6, 0.4], '1');
    const s = newEstimateState(bin);
    expect(s.k).toBe(2);
    expect(() => s.merge(new EstimateState(3, 0))).toThrow(RangeError);
  });
});
