/**
 * One predicate says whether the model server served an event (ingest/schemas.ts isFailedEvent),
 * and validation, task and positive-class checks and the apply all use it: `error: false` is a
 * served event, `error: true` or a reason a failed one, which needs no prediction.
 */
import { describe, expect, it } from 'vitest';
import { fastValidatePredictions } from '../../src/ingest/fast-validate.js';
import { ingestSchemas, isFailedEvent, type SchemaLimits } from '../../src/ingest/schemas.js';

const limits: SchemaLimits = { maxBatchEvents: 5, maxLabelValueLength: 16, maxReferenceValues: 100 };
const schemas = ingestSchemas(limits);

describe('isFailedEvent', () => {
  it('is true for error true or a reason, false for no error or error false', () => {
    expect(isFailedEvent({})).toBe(false);
    expect(isFailedEvent({ error: undefined })).toBe(false);
    expect(isFailedEvent({ error: false })).toBe(false);
    expect(isFailedEvent({ error: true })).toBe(true);
    expect(isFailedEvent({ error: 'timeout' })).toBe(true);
  });

  it('the fast validator and the schema agree: only a failed event may leave out its prediction', () => {
    for (const error of [undefined, false, true, 'timeout']) {
      const body = { model: 'm', version: 'v1', events: [{ id: 'a', features: {}, ...(error !== undefined ? { error } : {}) }] };
      const failed = isFailedEvent({ error });
      expect(fastValidatePredictions(body, limits) !== undefined).toBe(failed);
      expect(schemas.predictionsBody.safeParse(body).success).toBe(failed);
    }
  });
});
