import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import type { TokenService } from '../../registry/token-service.js';
import { route } from '../route.js';
import { presentToken } from '../../registry/presenters.js';
import { CreateTokenBody, ErrorResponse, TokenParams, TokenResponse } from './registry-schemas.js';

/** Token administration (admin). The token string is in the POST response and nowhere else. */
export function registerTokenRoutes(router: Router, ctx: HttpContext, tokens: TokenService): void {
  const common = { tag: 'tokens', role: 'admin' } as const;

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'createToken',
    path: '/api/v1/tokens',
    summary: 'Issue a token (shown once)',
    body: CreateTokenBody,
    status: 201,
    responses: {
      201: { description: 'the token, once', schema: TokenResponse.extend({ token: z.string() }) },
      400: { description: 'invalid body', schema: ErrorResponse },
    },
    handle: async ({ body, principal }) => {
      const created = await tokens.create(body.name, body.role, principal.actor);
      return { ...presentToken(created), token: created.token };
    },
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listTokens',
    path: '/api/v1/tokens',
    summary: 'List tokens (never secrets)',
    responses: { 200: { description: 'tokens', schema: z.object({ tokens: z.array(TokenResponse) }) } },
    handle: async () => ({ tokens: (await tokens.list()).map(presentToken) }),
  });

  route(router, ctx, {
    ...common,
    method: 'delete',
    operationId: 'revokeToken',
    path: '/api/v1/tokens/{id}',
    summary: 'Revoke a token',
    params: TokenParams,
    responses: {
      200: { description: 'revoked', schema: TokenResponse },
      404: { description: 'unknown token', schema: ErrorResponse },
      409: { description: 'already revoked', schema: ErrorResponse },
    },
    handle: async ({ params, principal }) => presentToken(await tokens.revoke(params.id, principal.actor)),
  });
}
