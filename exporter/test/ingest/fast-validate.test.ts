import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastValidatePredictions } from '../../src/ingest/fast-validate.js';
import { ingestSchemas, type SchemaLimits } from '../../src/ingest/schemas.js';

const limits: SchemaLimits = { maxBatchEvents: 5, maxLabelValueLength: 8, maxReferenceValues: 100 };
const schemas = ingestSchemas(limits);

/** Mostly-valid values with a sprinkling of invalid ones, so both paths are exercised. */
const w = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });
const anyValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 10 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const name = w(fc.constantFrom('age', 'city', 'm', 'v1', 'x_y'), fc.constantFrom('', 'a\nb', 'x'.repeat(9), '__proto__', 'ok'));
const classValue = w(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('yes', 'no')), anyValue);
const probability = w(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -0.5, max: 1.5 }));
const event = fc.record(
  {
    id: w(fc.oneof(fc.string({ minLength: 1, maxLength: 3 }), fc.integer()), fc.oneof(fc.constant(''), fc.double(), fc.constant(null))),
    timestamp: w(
      fc.integer({ min: 0, max: 1e11 }),
      fc.oneof(fc.integer({ min: -5, max: 2e11 }), fc.constant('2024-01-01T00:00:00Z'), fc.constant('yesterday')),
    ),
    features: w(
      fc.dictionary(
        name,
        w(
          fc.oneof(fc.double({ min: -1e100, max: 1e100, noNaN: true }), fc.string({ maxLength: 5 }), fc.constant(null)),
          fc.oneof(anyValue, fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
        { maxKeys: 4 },
      ),
      fc.oneof(fc.constant(null), fc.array(fc.integer(), { maxLength: 1 })),
    ),
    prediction: classValue,
    score: probability,
    // Rows that sum to 1 (normalised), and rows of arbitrary probabilities (mostly refused).
    scores: w(
      fc.dictionary(name, fc.double({ min: 0.01, max: 1, noNaN: true }), { minKeys: 1, maxKeys: 3 }).map((row) => {
        const sum = Object.values(row).reduce((a, b) => a + b, 0);
        return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v / sum]));
      }),
      fc.dictionary(name, probability, { maxKeys: 3 }),
    ),
    latency_ms: w(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: -1, max: 1e8 })),
    error: w(fc.oneof(fc.boolean(), name), anyValue),
    label: classValue,
  },
  { requiredKeys: ['id', 'features'] },
);
const body = fc.record(
  {
    model: name,
    version: name,
    task: w(fc.constantFrom('classification', 'regression'), fc.constant('other')),
    events: fc.array(event, { maxLength: 3 }),
  },
  { requiredKeys: ['model', 'version', 'events'] },
);

describe('fast predictions validator', () => {
  it('accepts only what the zod schema accepts, and yields the same data', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, fc.option(fc.constantFrom('other', 'x'), { freq: 10 }), (b, extra) => {
        const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
        if (extra) json[extra] = 1;
        const fast = fastValidatePredictions(json, limits);
        if (fast === undefined) return;
        accepted++;
        const parsed = schemas.predictionsBody.safeParse(json);
        expect(parsed.success).toBe(true);
        expect(JSON.parse(JSON.stringify(fast))).toEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
    // The generator must actually exercise the accepting path.
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts a typical batch', () => {
    const b = {
      model: 'm',
      version: 'v1',
      events: [{ id: 'a', features: { age: 3, city: 'x', z: null }, prediction: 'yes', score: 0.3, latency_ms: 4, label: 'no' }],
    };
    expect(fastValidatePredictions(b, limits)).toBe(b);
  });
});
