import type { Router } from 'express';
import type { HttpContext } from '../context.js';
import type { Journal } from '../../durable/journal.js';
import type { Monitor } from '../../ingest/monitor.js';
import type { IngestSchemas } from '../../ingest/schemas.js';
import { route } from '../route.js';
import type { IngestCommands } from './ingest-commands.js';
import { unknownModel } from './ingest-problems.js';

/** POST /kpis: latest business KPI values per model (modelwatch_business_kpi). */
export function kpiRoutes(monitor: Monitor, schemas: IngestSchemas, commands: IngestCommands, journal: Pick<Journal, 'submit'>) {
  return (router: Router, ctx: HttpContext): void => {
    route(router, ctx, {
      method: 'post',
      operationId: 'postKpis',
      path: '/api/v1/kpis',
      summary: 'Report business KPIs for a model; the latest value of each is exposed.',
      tag: 'ingest',
      role: 'ingest',
      body: schemas.kpisBody,
      responses: {
        200: {
          description: 'KPIs applied; names beyond MODELWATCH_MAX_KPIS_PER_MODEL are dropped and reported',
          schema: schemas.ingestResponse,
        },
        400: { description: 'malformed body' },
        404: { description: 'the model has never sent predictions or a reference' },
        503: { description: 'the KPIs could not be journaled (journal full or store error); nothing applied; retry after Retry-After' },
      },
      handle: async ({ body, raw }) => {
        // an unknown model is refused before it reaches the journal
        if (!monitor.hasModel(body.model)) unknownModel(body.model);
        return journal.submit({ kind: 'kpis', model: body.model, body: raw }, () => commands.applyKpis(body));
      },
    });
  };
}
