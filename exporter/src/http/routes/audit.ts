import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import type { RegistryService } from '../../registry/service.js';
import { route } from '../route.js';
import { presentAuditEntry, presentVerification } from '../../registry/presenters.js';
import { AuditEntryResponse, AuditQueryParams } from './registry-schemas.js';

/**
 * A checkpoint copied from a signed `audit checkpoint` log line: the chain must still hold an
 * entry with that id and hash.
 */
const VerifyQuery = z
  .object({
    checkpoint_id: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional(),
    checkpoint_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'checkpoint_hash is 64 lowercase hex digits')
      .optional(),
  })
  .refine((q) => (q.checkpoint_id === undefined) === (q.checkpoint_hash === undefined), {
    message: 'checkpoint_id and checkpoint_hash go together',
    path: ['checkpoint_hash'],
  });

/**
 * GET /audit?model=&limit=&before= → {entries (newest first), next_before}: pass next_before
 * as `before` for the next page. GET /audit/verify[?checkpoint_id=&checkpoint_hash=] → {ok,
 * entries} or {ok: false, first_broken_id, problem, broken_count, broken: [{id, problem}],
 * unexplained_count, unexplained: [{table, key, problem}], error} (200 either way: a broken
 * chain is a finding, not a fault).
 */
export function registerAuditRoutes(router: Router, ctx: HttpContext, registry: RegistryService): void {
  const common = { tag: 'audit', role: 'viewer' } as const;

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listAudit',
    path: '/api/v1/audit',
    summary: 'Audit log, newest first',
    query: AuditQueryParams,
    responses: {
      200: {
        description: 'a page of entries',
        schema: z.object({ entries: z.array(AuditEntryResponse), next_before: z.number().nullable() }),
      },
    },
    handle: async ({ query }) => {
      const entries = await registry.listAudit(query);
      return {
        entries: entries.map(presentAuditEntry),
        next_before: entries.length === query.limit ? entries[entries.length - 1].id : null,
      };
    },
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'verifyAudit',
    path: '/api/v1/audit/verify',
    summary: 'Recompute the keyed hash chain, report every break, and replay it against the state tables',
    query: VerifyQuery,
    responses: {
      200: {
        description: 'verification result',
        schema: z.object({
          ok: z.boolean(),
          entries: z.number(),
          unkeyed_entries: z.number().optional(),
          first_broken_id: z.number().optional(),
          problem: z.string().optional(),
          broken_count: z.number().optional(),
          broken: z.array(z.object({ id: z.number(), problem: z.string() })).optional(),
          unexplained_count: z.number().optional(),
          unexplained: z.array(z.object({ table: z.string(), key: z.string(), problem: z.string() })).optional(),
          error: z.string().optional(),
        }),
      },
    },
    handle: async ({ query }) =>
      presentVerification(
        await registry.verifyAudit({
          checkpoints: query.checkpoint_id !== undefined ? [{ id: query.checkpoint_id, hash: query.checkpoint_hash ?? '' }] : [],
        }),
      ),
  });
}
