import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { roleAtLeast } from '../../auth/roles.js';
import { ForbiddenError } from '../../errors.js';
import type { RegistryService } from '../../registry/service.js';
import { principalOf, requireRole } from '../auth-middleware.js';
import { parseInput } from '../validate.js';
import {
  presentGates,
  presentModel,
  presentRollback,
  presentTransition,
  presentTransitionResult,
  presentVersion,
} from './registry-presenters.js';
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
 * - POST …/versions/{version}/transitions {to, reason, force?} → 200 {from, to, forced,
 *   skipped_gates, archived_version, …}; 422 with `details` = every failed gate
 *   [{gate, metric, required, actual}]; 409 for a move the stage machine does not allow.
 * - POST /models/{model}/rollback {reason, from_version?} → 200 {from_version, to_version,
 *   trigger: "manual", …}; 409 when there is nothing to roll back to, or when from_version is
 *   no longer in production (details.current_production).
 * - GET/PUT /models/{model}/gates: PUT {staging?, production?, reason?} replaces the model's
 *   overrides (a stage left out returns to the defaults; {} disables that stage's gates).
 */
export function registerRegistryRoutes(router: Router, ctx: AppContext, registry: RegistryService): void {
  const viewer = requireRole(ctx.auth, 'viewer');
  const operator = requireRole(ctx.auth, 'operator');
  const admin = requireRole(ctx.auth, 'admin');
  const doc = ctx.openapi;
  const err = (description: string) => ({ description, schema: S.ErrorResponse });

  doc.add({ method: 'get', path: '/api/v1/models', summary: 'List models', tag: TAG, role: 'viewer', query: S.ListModelsQuery, responses: { 200: { description: 'models by name', schema: z.object({ models: z.array(S.ModelResponse) }) } } });
  router.get('/models', viewer, async (req, res) => {
    const { limit } = parseInput(S.ListModelsQuery, req.query, 'query');
    res.json({ models: (await registry.listModels(limit)).map(presentModel) });
  });

  doc.add({ method: 'post', path: '/api/v1/models', summary: 'Create a model', tag: TAG, role: 'operator', body: S.CreateModelBody, responses: { 201: { description: 'created', schema: S.ModelResponse }, 400: err('invalid body'), 409: err('exists') } });
  router.post('/models', operator, async (req, res) => {
    const body = parseInput(S.CreateModelBody, req.body);
    res.status(201).json(presentModel(await registry.createModel(body, principalOf(req).actor)));
  });

  doc.add({ method: 'get', path: '/api/v1/models/{model}', summary: 'Get a model', tag: TAG, role: 'viewer', responses: { 200: { description: 'the model', schema: S.ModelResponse }, 404: err('unknown model') } });
  router.get('/models/:model', viewer, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    res.json(presentModel(await registry.getModel(model)));
  });

  doc.add({ method: 'get', path: '/api/v1/models/{model}/versions', summary: 'List versions in registration order', tag: TAG, role: 'viewer', query: S.ListVersionsQuery, responses: { 200: { description: 'versions', schema: z.object({ versions: z.array(S.VersionResponse) }) }, 404: err('unknown model') } });
  router.get('/models/:model/versions', viewer, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    const { stage } = parseInput(S.ListVersionsQuery, req.query, 'query');
    res.json({ versions: (await registry.listVersions(model, stage)).map(presentVersion) });
  });

  doc.add({ method: 'post', path: '/api/v1/models/{model}/versions', summary: 'Register a version (creates an unknown model with team "ml")', tag: TAG, role: 'operator', body: S.RegisterVersionBody, responses: { 201: { description: 'registered in development', schema: S.VersionResponse }, 400: err('invalid body'), 409: err('version exists') } });
  router.post('/models/:model/versions', operator, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    const body = parseInput(S.RegisterVersionBody, req.body);
    res.status(201).json(presentVersion(await registry.registerVersion(model, body, principalOf(req).actor)));
  });

  doc.add({ method: 'get', path: '/api/v1/models/{model}/versions/{version}', summary: 'Get a version with metrics and lineage', tag: TAG, role: 'viewer', responses: { 200: { description: 'the version', schema: S.VersionResponse }, 404: err('unknown model or version') } });
  router.get('/models/:model/versions/:version', viewer, async (req, res) => {
    const { model, version } = parseInput(S.VersionParams, req.params, 'path');
    res.json(presentVersion(await registry.getVersion(model, version)));
  });

  doc.add({ method: 'post', path: '/api/v1/models/{model}/versions/{version}/transitions', summary: 'Move a version to another stage, checking the quality gates (force: admin)', tag: TAG, role: 'operator', body: S.TransitionBody, responses: { 200: { description: 'moved', schema: S.TransitionResultResponse }, 404: err('unknown model or version'), 409: err('not allowed from the current stage, or a concurrent change won'), 422: { description: 'refused by quality gates; details lists every failed gate', schema: z.object({ error: z.string(), details: z.array(S.GateFailureResponse) }) } } });
  router.post('/models/:model/versions/:version/transitions', operator, async (req, res) => {
    const { model, version } = parseInput(S.VersionParams, req.params, 'path');
    const body = parseInput(S.TransitionBody, req.body);
    const principal = principalOf(req);
    if (body.force && !roleAtLeast(principal.role, 'admin')) throw new ForbiddenError(`force needs role admin; the token has ${principal.role}`);
    res.json(presentTransitionResult(await registry.transition(model, version, body, principal.actor)));
  });

  doc.add({ method: 'post', path: '/api/v1/models/{model}/rollback', summary: 'Return the previous production version to production and archive the current one', tag: TAG, role: 'operator', body: S.RollbackBody, responses: { 200: { description: 'rolled back', schema: S.RollbackResponse }, 404: err('unknown model'), 409: err('nothing to roll back to, or from_version is no longer in production') } });
  router.post('/models/:model/rollback', operator, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    const body = parseInput(S.RollbackBody, req.body);
    const result = await registry.rollback(model, { reason: body.reason, fromVersion: body.from_version, trigger: 'manual' }, principalOf(req).actor);
    res.json(presentRollback(result));
  });

  doc.add({ method: 'get', path: '/api/v1/models/{model}/transitions', summary: 'Stage transition history, newest first', tag: TAG, role: 'viewer', query: S.ListTransitionsQuery, responses: { 200: { description: 'transitions', schema: z.object({ transitions: z.array(S.TransitionRecordResponse) }) }, 404: err('unknown model') } });
  router.get('/models/:model/transitions', viewer, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    const { limit } = parseInput(S.ListTransitionsQuery, req.query, 'query');
    res.json({ transitions: (await registry.listTransitions(model, limit)).map(presentTransition) });
  });

  doc.add({ method: 'get', path: '/api/v1/models/{model}/gates', summary: "The model's effective quality gates", tag: TAG, role: 'viewer', responses: { 200: { description: 'gates', schema: S.GatesResponse }, 404: err('unknown model') } });
  router.get('/models/:model/gates', viewer, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    res.json(presentGates(model, await registry.getGates(model)));
  });

  doc.add({ method: 'put', path: '/api/v1/models/{model}/gates', summary: "Replace the model's gate overrides (audited)", tag: TAG, role: 'admin', body: S.GatesBody, responses: { 200: { description: 'the new effective gates', schema: S.GatesResponse }, 404: err('unknown model') } });
  router.put('/models/:model/gates', admin, async (req, res) => {
    const { model } = parseInput(S.ModelParams, req.params, 'path');
    const { reason, ...overrides } = parseInput(S.GatesBody, req.body);
    res.json(presentGates(model, await registry.setGates(model, overrides, reason ?? null, principalOf(req).actor)));
  });
}
