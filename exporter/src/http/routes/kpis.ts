import type { Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { NotFoundError } from '../../errors.js';
import type { Monitor } from '../../ingest/monitor.js';
import type { IngestSchemas } from '../../ingest/schemas.js';
import { requireRole } from '../auth-middleware.js';
import { parseInput } from '../validate.js';

/** POST /kpis: latest business KPI values per model (modelwatch_business_kpi). */
export function kpiRoutes(monitor: Monitor, schemas: IngestSchemas) {
  return (router: Router, ctx: AppContext): void => {
    ctx.openapi.add({
      method: 'post',
      path: '/api/v1/kpis',
      summary: 'Report business KPIs for a model; the latest value of each is exposed.',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.kpisBody,
      responses: {
        200: { description: 'KPIs applied; names beyond MODELWATCH_MAX_KPIS_PER_MODEL are dropped and reported', schema: schemas.ingestResponse },
        400: { description: 'malformed body' },
        404: { description: 'the model has never sent predictions or a reference' },
      },
    });
    router.post('/kpis', requireRole(ctx.auth, 'ingest'), (req, res) => {
      const body = parseInput(schemas.kpisBody, req.body);
      const result = monitor.applyKpis(body);
      if (!result) throw new NotFoundError(`unknown model ${body.model}: no predictions or reference received for it`);
      res.json(result);
    });
  };
}
