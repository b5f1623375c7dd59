import type { Router } from 'express';
import type { HttpContext } from '../context.js';
import type { Journal } from '../../durable/journal.js';
import type { PositiveClassLookup } from '../../registry/positive-class-lookup.js';
import type { IngestSchemas } from '../../ingest/schemas.js';
import { requireRole } from '../auth-middleware.js';
import { bodyBytesOf } from '../content-type.js';
import { route } from '../route.js';
import { ErrorSchema } from '../error-schema.js';
import type { IngestCommands } from './ingest-commands.js';

const errorBody = ErrorSchema;

/**
 * POST /predictions and /feedback: validate the whole batch, check it against the state (a batch
 * refused here is not journaled), then hand it to the journal, which appends it and applies it
 * (re-checking, since other batches may apply first) before the answer. Predictions are mounted
 * by hand rather than through route() because the fast validator runs before zod. `registered`
 * gives the model registry's positive class, one of the sources of the positive class rule
 * (stats/positive-class.ts) and, for both endpoints, a statement that the model is binary
 * (ingest/class-arity.ts); it is read before the check and journaled with the batch.
 */
export function ingestRoutes(
  schemas: IngestSchemas,
  commands: IngestCommands,
  journal: Pick<Journal, 'submit'>,
  registered: Pick<PositiveClassLookup, 'get'>,
) {
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
        503: { description: 'the batch could not be journaled (journal full or store error); nothing applied; retry after Retry-After' },
      },
    });
    router.post('/predictions', requireRole(ctx.auth, 'ingest'), async (req, res) => {
      const body = commands.parsePredictions(req.body);
      const positive = await registered.get(body.model);
      commands.checkPredictions(body, positive);
      const { duplicateIds, foldedClasses, ...result } = await journal.submit(
        { kind: 'predictions', model: body.model, positiveClass: positive, body: bodyBytesOf(req) },
        () => commands.applyPredictions(body, positive),
      );
      res.json({
        ...result,
        ...(duplicateIds ? { duplicate_ids: duplicateIds } : {}),
        ...(foldedClasses ? { folded_classes: foldedClasses } : {}),
      });
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
        413: { description: 'body too large' },
        415: { description: 'Content-Type is not application/json' },
        503: { description: 'the batch could not be journaled (journal full or store error); nothing applied; retry after Retry-After' },
      },
      handle: async ({ body, raw }) => {
        const positive = await registered.get(body.model);
        commands.checkFeedback(body, positive);
        const { foldedClasses, ...result } = await journal.submit(
          { kind: 'feedback', model: body.model, positiveClass: positive, body: raw },
          () => commands.applyFeedback(body, positive),
        );
        return foldedClasses ? { ...result, folded_classes: foldedClasses } : result;
      },
    });
  };
}
