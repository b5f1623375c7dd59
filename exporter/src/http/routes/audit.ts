import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import type { RegistryService } from '../../registry/service.js';
import { route } from '../route.js';
import { presentAuditEntry, presentVerification } from './registry-presenters.js';
import { AuditEntryResponse, AuditQueryParams } from './registry-schemas.js';

/**
 * GET /audit?model=&limit=&before= → {entries (newest first), next_before}: pass next_before
 * as `before` for the next page. GET /audit/verify → {ok, entries} or {ok: false,
 * first_broken_id, problem, error} (200 either way: a broken chain is a finding, not a fault).
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
    summary: 'Recompute the hash chain and name the first broken entry',
    responses: {
      200: {
        description: 'verification result',
        schema: z.object({
          ok: z.boolean(),
          entries: z.number(),
          first_broken_id: z.number().optional(),
          problem: z.string().optional(),
          error: z.string().optional(),
        }),
      },
    },
    handle: async () => presentVerification(await registry.verifyAudit()),
  });
}
