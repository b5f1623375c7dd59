/**
 * The fixed ROC AUC score grid (src/stats/score-histogram.ts): monotone over every double in
 * [0, 1], one bin each for exactly 0 and exactly 1, and the resolution its doc comment states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXACT_SCORE_BINS, SCORE_BINS, scoreBin } from '../../src/stats/score-histogram.js';

const sigmoid = (logit: number) => (logit < 0 ? Math.exp(logit) / (1 + Math.exp(logit)) : 1 / (1 + Math.exp(-logit)));
const score = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: -746, max: 37, noNaN: true }).map(sigmoid),
  fc.float({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, 5e-324, 2 ** -149, 1 - 2 ** -53, 1 - 2 ** -24),
);

describe('fixed score grid', () => {
  it('is monotone in p, with p = 0 and p = 1 alone in the end bins', () => {
    fc.assert(
      fc.property(fc.array(score, { minLength: 2, maxLength: 50 }), (ps) => {
        ps.sort((a, b) => a - b);
        const bins = ps.map(scoreBin);
        for (let i = 0; i < bins.length; i++) {
          expect(Number.isInteger(bins[i]) && bins[i] >= 0 && bins[i] < SCORE_BINS).toBe(true);
          if (i > 0) expect(bins[i]).toBeGreaterThanOrEqual(bins[i - 1]);
          expect(bins[i] === 0).toBe(ps[i] === 0);
          expect(bins[i] === SCORE_BINS - 1).toBe(ps[i] === 1);
        }
      }),
      { numRuns: 500 },
    );
    expect(EXACT_SCORE_BINS).toEqual([0, SCORE_BINS - 1]);
  });

  it('has the stated resolution: 1/32 logit inside ±16, 1/8 out to −48 and up to 1 − 2⁻⁵³, ~2% of |logit| below', () => {
    const binsOver = (lo: number, hi: number) => scoreBin(sigmoid(hi)) - scoreBin(sigmoid(lo));
    expect(binsOver(-0.99, 1.01)).toBe(64);
    expect(binsOver(-39.99, -19.99)).toBe(160);
    expect(binsOver(20.01, 30.01)).toBe(80);
    // Distinct doubles just below 1 stay apart: 1 − 2⁻⁵³, 1 − 2⁻⁵², 1 − 2⁻⁵¹ (logits 36.7, 36.0, 35.3).
    expect(new Set([1 - 2 ** -53, 1 - 2 ** -52, 1 - 2 ** -51].map(scoreBin)).size).toBe(3);
    // Below −48 bins widen with |logit|: about 1 unit at −50, 2.2 at −100, 16 at −740.
    expect(binsOver(-60, -50)).toBeGreaterThanOrEqual(8);
    expect(binsOver(-300, -100)).toBeGreaterThanOrEqual(45);
    expect(binsOver(-744, -300)).toBeGreaterThanOrEqual(40);
    // Every float32 below 1.1e-7 that is not 0 has a bin above the smallest double's.
    expect(scoreBin(2 ** -149)).toBeGreaterThan(scoreBin(5e-324));
    expect(SCORE_BINS).toBe(1578);
  });
});
