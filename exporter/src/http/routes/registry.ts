import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import { roleAtLeast } from '../../auth/roles.js';
import { ForbiddenError } from '../../errors.js';
import type { PositiveClassCheck, RegistryService } from '../../registry/service.js';
import { route } from '../route.js';
import {
  presentGates,
  presentModel,
  presentRetirement,
  presentRollback,
  presentTransition,
  presentTransitionResult,
  presentVersion,
} from '../../registry/presenters.js';
import * as S from './registry-schemas.js';

const TAG = 'registry';

/**
 * The model registry API (DESIGN.md "Registry"). Reads need `viewer`, transitions and
 * rollback `operator`, gate changes and forced transitions `admin`.
 *
 * - POST /models {name, description?, team?} → 201 model (team defaults to "ml"); 409 if it exists.
 * - POST /models/{model}/versions {version, description?, metrics?, lineage?} → 201 version in
 *   development. An unknown model is created on the fly (team "ml") so CI registers in one
 *   call; 409 if the version exists.
 * - POST …/versions/{version}/transitions {to, reason, force?, allow_empty_production?} → 200 {from, to, forced,
 *   skipped_gates, archived_version, …}; 422 with `details` = every failed gate
 *   [{gate, metric, required, actual}]; 409 for a move the stage machine does not allow.
 * - POST /models/{model}/rollback {reason, from_version?} → 200 {from_version, to_version,
 *   trigger: "manual", …}; 409 when there is nothing to roll back to, or when from_version is
 *   no longer in production (details.current_production).
 * - POST /models/{model}/archive {reason} (operator) → 200; DELETE /models/{model}?reason= (admin)
 *   → 200; both 409 while a version is in production.
 * - PUT /models/{model}/positive-class {positive_class: class | null, reason?}: the class a binary
 *   model's `score` is the probability of, which ingest consults (issue 11); 409 naming
 *   positive_class for a model whose traffic is multiclass or regression (also for POST /models).
 * - GET/PUT /models/{model}/gates: PUT {staging?, production?, reason?} replaces the model's
 *   overrides (a stage left out returns to the defaults; {} disables that stage's gates).
 */
export function registerRegistryRoutes(
  router: Router,
  ctx: HttpContext,
  registry: RegistryService,
  /** What monitoring has seen of a model, which a positive class must fit (app/root.ts passes the monitor's). */
  positiveClassCheck?: PositiveClassCheck,
): void {
  const err = (description: string) => ({ description, schema: S.ErrorResponse });
  const common = { tag: TAG } as const;

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listModels',
    path: '/api/v1/models',
    summary: 'List models',
    role: 'viewer',
    query: S.ListModelsQuery,
    responses: { 200: { description: 'models by name', schema: z.object({ models: z.array(S.ModelResponse) }) } },
    handle: async ({ query }) => ({ models: (await registry.listModels(query.limit, query.include_archived)).map(presentModel) }),
  });

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'createModel',
    path: '/api/v1/models',
    summary: 'Create a model',
    role: 'operator',
    body: S.CreateModelBody,
    status: 201,
    responses: {
      201: { description: 'created', schema: S.ModelResponse },
      400: err('invalid body'),
      409: err('exists, or a positive_class the model cannot have (its traffic is multiclass or regression; details name positive_class)'),
    },
    handle: async ({ body, principal }) => presentModel(await registry.createModel(body, principal.actor, positiveClassCheck)),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'getModel',
    path: '/api/v1/models/{model}',
    summary: 'Get a model',
    role: 'viewer',
    params: S.ModelParams,
    responses: { 200: { description: 'the model', schema: S.ModelResponse }, 404: err('unknown model') },
    handle: async ({ params }) => presentModel(await registry.getModel(params.model)),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listVersions',
    path: '/api/v1/models/{model}/versions',
    summary: 'List versions in registration order',
    role: 'viewer',
    params: S.ModelParams,
    query: S.ListVersionsQuery,
    responses: { 200: { description: 'versions', schema: z.object({ versions: z.array(S.VersionResponse) }) }, 404: err('unknown model') },
    handle: async ({ params, query }) => ({ versions: (await registry.listVersions(params.model, query.stage)).map(presentVersion) }),
  });

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'registerVersion',
    path: '/api/v1/models/{model}/versions',
    summary: 'Register a version (creates an unknown model with team "ml")',
    role: 'operator',
    params: S.ModelParams,
    body: S.RegisterVersionBody,
    status: 201,
    responses: {
      201: { description: 'registered in development', schema: S.VersionResponse },
      400: err('invalid body'),
      409: err('version exists'),
    },
    handle: async ({ params, body, principal }) => presentVersion(await registry.registerVersion(params.model, body, principal.actor)),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'getVersion',
    path: '/api/v1/models/{model}/versions/{version}',
    summary: 'Get a version with metrics and lineage',
    role: 'viewer',
    params: S.VersionParams,
    responses: { 200: { description: 'the version', schema: S.VersionResponse }, 404: err('unknown model or version') },
    handle: async ({ params }) => presentVersion(await registry.getVersion(params.model, params.version)),
  });

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'transitionVersion',
    path: '/api/v1/models/{model}/versions/{version}/transitions',
    summary: 'Move a version to another stage, checking the quality gates (force: admin)',
    role: 'operator',
    params: S.VersionParams,
    body: S.TransitionBody,
    responses: {
      200: { description: 'moved', schema: S.TransitionResultResponse },
      404: err('unknown model or version'),
      409: err(
        'not allowed from the current stage, a concurrent change won, or the production version would leave production without allow_empty_production',
      ),
      422: {
        description: 'refused by quality gates; details lists every failed gate',
        schema: S.GateRefusalResponse,
      },
    },
    handle: async ({ params, body, principal }) => {
      if (body.force && !roleAtLeast(principal.role, 'admin'))
        throw new ForbiddenError(`force needs role admin; the token has ${principal.role}`);
      const { allow_empty_production: allowEmptyProduction, ...rest } = body;
      return presentTransitionResult(
        await registry.transition(params.model, params.version, { ...rest, allowEmptyProduction }, principal.actor),
      );
    },
  });

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'rollbackModel',
    path: '/api/v1/models/{model}/rollback',
    summary: 'Return the previous production version to production and archive the current one',
    role: 'operator',
    params: S.ModelParams,
    body: S.RollbackBody,
    responses: {
      200: { description: 'rolled back', schema: S.RollbackResponse },
      404: err('unknown model'),
      409: err('nothing to roll back to, or from_version is no longer in production'),
    },
    handle: async ({ params, body, principal }) =>
      presentRollback(
        await registry.rollback(params.model, { reason: body.reason, fromVersion: body.from_version, trigger: 'manual' }, principal.actor),
      ),
  });

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'archiveModel',
    path: '/api/v1/models/{model}/archive',
    summary: 'Retire a model with nothing in production: archive its versions and hide it from listings',
    role: 'operator',
    params: S.ModelParams,
    body: S.ArchiveModelBody,
    responses: {
      200: { description: 'archived', schema: S.ModelRetirementResponse },
      404: err('unknown model'),
      409: err('a version is in production (MW_ERR_HAS_PRODUCTION), or the model is archived already'),
    },
    handle: async ({ params, body, principal }) =>
      presentRetirement(await registry.archiveModel(params.model, body.reason, principal.actor), false),
  });

  route(router, ctx, {
    ...common,
    method: 'delete',
    operationId: 'deleteModel',
    path: '/api/v1/models/{model}',
    summary: 'Delete a model with nothing in production, with its versions and history (the audit log keeps them)',
    role: 'admin',
    params: S.ModelParams,
    query: S.DeleteModelQuery,
    responses: {
      200: { description: 'deleted', schema: S.ModelRetirementResponse },
      400: err('no reason given'),
      404: err('unknown model'),
      409: err('a version is in production (MW_ERR_HAS_PRODUCTION)'),
    },
    handle: async ({ params, query, principal }) =>
      presentRetirement(await registry.deleteModel(params.model, query.reason, principal.actor), true),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listTransitions',
    path: '/api/v1/models/{model}/transitions',
    summary: 'Stage transition history, newest first',
    role: 'viewer',
    params: S.ModelParams,
    query: S.ListTransitionsQuery,
    responses: {
      200: { description: 'transitions', schema: z.object({ transitions: z.array(S.TransitionRecordResponse) }) },
      404: err('unknown model'),
    },
    handle: async ({ params, query }) => ({
      transitions: (await registry.listTransitions(params.model, query.limit)).map(presentTransition),
    }),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'getGates',
    path: '/api/v1/models/{model}/gates',
    summary: "The model's effective quality gates",
    role: 'viewer',
    params: S.ModelParams,
    responses: { 200: { description: 'gates', schema: S.GatesResponse }, 404: err('unknown model') },
    handle: async ({ params }) => presentGates(params.model, await registry.getGates(params.model)),
  });

  route(router, ctx, {
    ...common,
    method: 'put',
    operationId: 'putGates',
    path: '/api/v1/models/{model}/gates',
    summary: "Replace the model's gate overrides (audited)",
    role: 'admin',
    params: S.ModelParams,
    body: S.GatesBody,
    responses: { 200: { description: 'the new effective gates', schema: S.GatesResponse }, 404: err('unknown model') },
    handle: async ({ params, body: { reason, ...overrides }, principal }) =>
      presentGates(params.model, await registry.setGates(params.model, overrides, reason ?? null, principal.actor)),
  });

  route(router, ctx, {
    ...common,
    method: 'put',
    operationId: 'putPositiveClass',
    path: '/api/v1/models/{model}/positive-class',
    summary: "State (or clear, with null) the class a binary model's score is the probability of (audited)",
    role: 'operator',
    params: S.ModelParams,
    body: S.PositiveClassBody,
    responses: {
      200: { description: 'the model', schema: S.ModelResponse },
      400: err('invalid body'),
      404: err('unknown model'),
      409: err(
        'the model is not binary: its traffic brought more than two classes with this one, or made it a regression model (details name positive_class); nothing changed',
      ),
    },
    handle: async ({ params, body, principal }) =>
      presentModel(
        await registry.setPositiveClass(params.model, body.positive_class, body.reason ?? null, principal.actor, positiveClassCheck),
      ),
  });
}
