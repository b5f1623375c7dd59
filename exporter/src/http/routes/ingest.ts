import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { NotFoundError } from '../../errors.js';
import { fastValidatePredictions } from '../../ingest/fast-validate.js';
import type { Monitor } from '../../ingest/monitor.js';
import type { IngestSchemas, SchemaLimits } from '../../ingest/schemas.js';
import { requireRole } from '../auth-middleware.js';
import { parseInput } from '../validate.js';
import { rejectProblems } from './ingest-problems.js';

const errorBody = z.object({ error: z.string(), details: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

/** POST /predictions and /feedback: validate the whole batch, then apply it at once. */
export function ingestRoutes(monitor: Monitor, schemas: IngestSchemas, limits: SchemaLimits) {
  return (router: Router, ctx: AppContext): void => {
    ctx.openapi.add({
      method: 'post',
      path: '/api/v1/predictions',
      summary: 'Ingest a batch of prediction events (features, prediction, scores, latency, errors, optional labels).',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.predictionsBody,
      responses: {
        200: { description: 'batch applied; what cardinality bounds dropped is reported', schema: schemas.ingestResponse },
        400: { description: 'malformed batch; details name each bad event and field; nothing applied', schema: errorBody },
        413: { description: 'body larger than MODELWATCH_MAX_BODY_BYTES' },
        415: { description: 'Content-Type is not application/json' },
      },
    });
    router.post('/predictions', requireRole(ctx.auth, 'ingest'), (req, res) => {
      const body = fastValidatePredictions(req.body, limits) ?? parseInput(schemas.predictionsBody, req.body);
      const problems = monitor.checkPredictions(body);
      if (problems.length) rejectProblems(problems);
      res.json(monitor.applyPredictions(body));
    });

    ctx.openapi.add({
      method: 'post',
      path: '/api/v1/feedback',
      summary: 'Ground-truth labels, joined to earlier predictions by id (late labels welcome).',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.feedbackBody,
      responses: {
        200: { description: 'labels applied', schema: schemas.ingestResponse },
        400: { description: 'malformed batch; nothing applied', schema: errorBody },
        404: { description: 'the model has never sent predictions or a reference' },
        413: { description: 'body too large' },
        415: { description: 'Content-Type is not application/json' },
      },
    });
    router.post('/feedback', requireRole(ctx.auth, 'ingest'), (req, res) => {
      const body = parseInput(schemas.feedbackBody, req.body);
      const { unknownModel, problems } = monitor.checkFeedback(body);
      if (unknownModel) throw new NotFoundError(`unknown model ${body.model}: no predictions or reference received for it`);
      if (problems.length) rejectProblems(problems);
      res.json(monitor.applyFeedback(body));
    });
  };
}
