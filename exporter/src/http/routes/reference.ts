import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import { UnprocessableError } from '../../errors.js';
import type { Monitor } from '../../ingest/monitor.js';
import { buildReferenceProfile } from '../../ingest/reference-profile.js';
import { taskOrigin } from '../../ingest/task-inference.js';
import type { IngestSchemas } from '../../ingest/schemas.js';
import type { Journal } from '../../durable/journal.js';
import type { ReferenceStore } from '../../store/reference-store.js';
import type { PositiveClassLookup } from '../../registry/positive-class-lookup.js';
import { route } from '../route.js';
import { rejectProblems } from '../validate.js';

const referenceResponse = z.object({
  model: z.string(),
  version: z.string(),
  features: z.record(z.string(), z.object({ kind: z.enum(['numeric', 'categorical']), count: z.number(), missing: z.number() })),
  prediction: z.enum(['numeric', 'categorical']).optional(),
  dropped_features: z.array(z.string()),
  calibration: z
    .object({
      kind: z.enum(['binary', 'multiclass']),
      rows: z.number(),
      ece_before: z.number().describe('Expected calibration error of the raw scores on the reference (10 bins).'),
      ece_after: z.number().describe('The same after the fitted isotonic map, in-sample.'),
    })
    .optional()
    .describe('Present when labels and score/scores were given: the label-free estimate is enabled for this version.'),
  updated_at: z.string(),
});

/** What the reference endpoint needs besides the monitor. */
export interface ReferenceDeps {
  references: Pick<ReferenceStore, 'put'>;
  limits: { maxFeaturesPerModel: number; maxCategoriesPerFeature: number };
  /** Clock in milliseconds, for `updated_at`. */
  now: () => number;
  /** The model registry's positive class per model (one of the sources that must agree). */
  registered: Pick<PositiveClassLookup, 'get'>;
  /**
   * The profile is stored with its journal row in one transaction: the row makes a replay after
   * a crash reset the drift windows at the same point among the batches.
   */
  journal: Pick<Journal, 'submitTransacted'>;
}

/** PUT /models/{model}/versions/{version}/reference: the sample drift is measured against. */
export function referenceRoutes(monitor: Monitor, schemas: IngestSchemas, deps: ReferenceDeps) {
  return (router: Router, ctx: HttpContext): void => {
    route(router, ctx, {
      method: 'put',
      operationId: 'putReference',
      path: '/api/v1/models/{model}/versions/{version}/reference',
      summary: 'Set the reference (training) sample of a model version; profiles are persisted and survive restarts.',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.referenceBody,
      responses: {
        200: {
          description: 'reference profiled, stored and in use; drift windows of this version restart empty',
          schema: referenceResponse,
        },
        400: {
          description:
            'malformed sample (names each bad feature), or a positive_class other than the one the model registry or earlier batches gave the model',
        },
        422: { description: 'the model or version cannot be tracked within the cardinality bounds' },
      },
      params: schemas.referencePath,
      handle: async ({ params: { model, version }, body, principal }) => {
        const registered = await deps.registered.get(model);
        // Binary scores are P(positive class): one the registry or earlier batches gave the model
        // counts as stated when the labels hold it, as it does for predictions (a disagreeing one
        // is refused below); labels without it still get the 400 asking for positive_class.
        const known = registered ?? monitor.positiveClassOf(model);
        const stated =
          body.score !== undefined && body.positive_class === undefined && body.labels?.some((l) => String(l) === known) === true;
        const { profile, problems } = buildReferenceProfile(stated ? { ...body, positive_class: known } : body, {
          maxFeatures: deps.limits.maxFeaturesPerModel,
          maxCategories: deps.limits.maxCategoriesPerFeature,
        });
        if (!profile) return rejectProblems(problems);
        const task = monitor.taskOf(model);
        if (task && profile.task && task !== profile.task)
          rejectProblems([
            {
              path: body.task ? 'task' : 'predictions',
              message: `this reference ${body.task ? `declares "task": "${body.task}"` : `is a ${profile.task} reference`} but ${taskOrigin(model, task)}`,
            },
          ]);
        const positiveProblems = monitor.checkReference(model, profile, registered);
        if (positiveProblems.length) rejectProblems(positiveProblems);
        const room = monitor.canTrackReference(model, version);
        if (!room.ok) throw new UnprocessableError(room.reason);
        const updatedAt = new Date(deps.now()).toISOString();
        const profileJson = JSON.stringify(profile);
        // The profile, its audit entry (counts and a digest, never the sample) and the journal
        // row commit in one transaction with the in-memory apply before it: all or nothing.
        const summary = {
          features: Object.keys(profile.features).length,
          droppedFeatures: profile.droppedFeatures.length,
          samples: Math.max(...Object.values(body.features).map((values) => values.length)),
        };
        await deps.journal.submitTransacted(
          { kind: 'reference', model, body: Buffer.from(`{"version":${JSON.stringify(version)},"profile":${profileJson}}`) },
          () => monitor.applyReference(model, version, profile),
          (inside) => deps.references.put({ model, version, profileJson, updatedAt }, principal.actor, summary, inside),
        );
        return {
          model,
          version,
          features: Object.fromEntries(
            Object.entries(profile.features).map(([n, f]) => [n, { kind: f.kind, count: f.count, missing: f.missing }]),
          ),
          ...(profile.prediction ? { prediction: profile.prediction.kind } : {}),
          dropped_features: profile.droppedFeatures,
          ...(profile.calibration
            ? {
                calibration: {
                  kind: profile.calibration.kind,
                  rows: profile.calibration.count,
                  ece_before: profile.calibration.eceBefore,
                  ece_after: profile.calibration.eceAfter,
                },
              }
            : {}),
          updated_at: updatedAt,
        };
      },
    });
  };
}
