import type { Router } from 'express';
import type { z } from 'zod';
import type { HttpContext } from './context.js';
import type { Principal } from '../auth/authenticator.js';
import type { Role } from '../auth/roles.js';
import { principalOf, requireRole } from './auth-middleware.js';
import type { OperationSpec } from './openapi.js';
import { parseInput } from './validate.js';
import { bodyBytesOf } from './content-type.js';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  principal: Principal;
  /** The body as received, for the ingest journal. */
  raw: Buffer;
}

export interface RouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
  R,
> extends Omit<OperationSpec, 'role' | 'query' | 'body'> {
  role: Role;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status (200 unless given); 204 sends no body. */
  status?: number;
  handle(input: RouteInput<P, Q, B>): Promise<R>;
}

/**
 * One authenticated JSON endpoint: documents it in the OpenAPI catalog and mounts it on the
 * /api/v1 router from the same spec, so that the path, role and schemas cannot differ between
 * the document and what runs. The role is checked first (401/403), then path, query and body
 * are parsed in that order (400 naming the field), then `handle` runs; its domain errors
 * become status codes in error-handler.ts.
 */
export function route<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R = unknown,
>(router: Router, ctx: HttpContext, spec: RouteSpec<P, Q, B, R>): void {
  const { params, query, body, status = 200, handle, ...doc } = spec;
  ctx.openapi.add({ ...doc, query, body });
  const expressPath = spec.path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, ':$1');
  router[spec.method](expressPath, requireRole(ctx.auth, spec.role), async (req, res) => {
    const input = {
      params: params ? parseInput(params, req.params, 'path') : undefined,
      query: query ? parseInput(query, req.query, 'query') : undefined,
      body: body ? parseInput(body, req.body) : undefined,
      principal: principalOf(req),
      get raw() {
        return bodyBytesOf(req);
      },
    } as RouteInput<P, Q, B>;
    const result = await handle(input);
    if (status === 204) res.status(204).end();
    else res.status(status).json(result);
  });
}
