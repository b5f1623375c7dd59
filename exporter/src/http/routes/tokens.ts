import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import type { TokenService } from '../../registry/token-service.js';
import { principalOf, requireRole } from '../auth-middleware.js';
import { parseInput } from '../validate.js';
import { presentToken } from './registry-presenters.js';
import { CreateTokenBody, ErrorResponse, TokenParams, TokenResponse } from './registry-schemas.js';

/** Token administration (admin). The token string is in the POST response and nowhere else. */
export function registerTokenRoutes(router: Router, ctx: AppContext, tokens: TokenService): void {
  const admin = requireRole(ctx.auth, 'admin');

  ctx.openapi.add({ method: 'post', path: '/api/v1/tokens', summary: 'Issue a token (shown once)', tag: 'tokens', role: 'admin', body: CreateTokenBody, responses: { 201: { description: 'the token, once', schema: TokenResponse.extend({ token: z.string() }) }, 400: { description: 'invalid body', schema: ErrorResponse } } });
  router.post('/tokens', admin, async (req, res) => {
    const body = parseInput(CreateTokenBody, req.body);
    const created = await tokens.create(body.name, body.role, principalOf(req).actor);
    res.status(201).json({ ...presentToken(created), token: created.token });
  });

  ctx.openapi.add({ method: 'get', path: '/api/v1/tokens', summary: 'List tokens (never secrets)', tag: 'tokens', role: 'admin', responses: { 200: { description: 'tokens', schema: z.object({ tokens: z.array(TokenResponse) }) } } });
  router.get('/tokens', admin, async (_req, res) => {
    res.json({ tokens: (await tokens.list()).map(presentToken) });
  });

  ctx.openapi.add({ method: 'delete', path: '/api/v1/tokens/{id}', summary: 'Revoke a token', tag: 'tokens', role: 'admin', responses: { 200: { description: 'revoked', schema: TokenResponse }, 404: { description: 'unknown token', schema: ErrorResponse }, 409: { description: 'already revoked', schema: ErrorResponse } } });
  router.delete('/tokens/:id', admin, async (req, res) => {
    const { id } = parseInput(TokenParams, req.params, 'path');
    res.json(presentToken(await tokens.revoke(id, principalOf(req).actor)));
  });
}
