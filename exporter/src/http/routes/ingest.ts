import type { Router } from 'express';
import type { HttpContext } from '../context.js';
import { fastValidatePredictions } from '../../ingest/fast-validate.js';
import type { Monitor } from '../../ingest/monitor.js';
import type { PositiveClassLookup } from '../../registry/positive-class-lookup.js';
import type { IngestSchemas, SchemaLimits } from '../../ingest/schemas.js';
import { requireRole } from '../auth-middleware.js';
import { route } from '../route.js';
import { parseInput, rejectProblems } from '../validate.js';
import { ErrorSchema } from '../error-schema.js';
import { unknownModel } from './ingest-problems.js';

const errorBody = ErrorSchema;

/**
 * POST /predictions and /feedback: validate the whole batch, then apply it at once. Predictions
 * are mounted by hand rather than through route() because the fast validator runs before zod.
 * `registered` gives the model registry's positive class, one of the sources of the positive
 * class rule (stats/positive-class.ts); it is read before the check, and check and apply then
 * run without yielding, so no other batch interleaves.
 */
export function ingestRoutes(monitor: Monitor, schemas: IngestSchemas, limits: SchemaLimits, registered: Pick<PositiveClassLookup, 'get'>) {
  return (router: Router, ctx: HttpContext): void => {
    ctx.openapi.add({
      method: 'post',
      operationId: 'postPredictions',
      path: '/api/v1/predictions',
      summary: 'Ingest a batch of prediction events (features, prediction, scores, latency, errors, optional labels).',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.predictionsBody,
      responses: {
        200: {
          description: 'batch applied; what bounds dropped and which ids repeat a known prediction (not counted again) are reported',
          schema: schemas.ingestResponse,
        },
        400: { description: 'malformed batch; details name each bad event and field; nothing applied', schema: errorBody },
        413: { description: 'body larger than MODELWATCH_MAX_BODY_BYTES' },
        415: { description: 'Content-Type is not application/json' },
      },
    });
    router.post('/predictions', requireRole(ctx.auth, 'ingest'), async (req, res) => {
      const body = fastValidatePredictions(req.body, limits) ?? parseInput(schemas.predictionsBody, req.body);
      const positive = await registered.get(body.model);
      const problems = monitor.checkPredictions(body, positive);
      if (problems.length) rejectProblems(problems);
      const { duplicateIds, ...result } = monitor.applyPredictions(body, positive);
      res.json(duplicateIds ? { ...result, duplicate_ids: duplicateIds } : result);
    });

    route(router, ctx, {
      method: 'post',
      operationId: 'postFeedback',
      path: '/api/v1/feedback',
      summary: 'Ground-truth labels, joined to predictions by id: late labels join at once, early ones are held for their prediction.',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.feedbackBody,
      responses: {
        200: {
          description: 'labels joined to their prediction, or held for a prediction still to come; duplicates and dropped labels by reason',
          schema: schemas.ingestResponse,
        },
        400: { description: 'malformed batch; nothing applied', schema: errorBody },
        404: { description: 'the model has never sent predictions or a reference' },
        413: { description: 'body too large' },
        415: { description: 'Content-Type is not application/json' },
      },
      handle: async ({ body }) => {
        const { unknownModel: unknown, problems } = monitor.checkFeedback(body);
        if (unknown) unknownModel(body.model);
        if (problems.length) rejectProblems(problems);
        return monitor.applyFeedback(body);
      },
    });
  };
}
