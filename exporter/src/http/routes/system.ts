import { sql } from 'kysely';
import type { Express, Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { BUILD_VERSION } from '../../version.js';

export function registerSystemRoutes(app: Express, api: Router, ctx: AppContext): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(ctx.database.db);
      res.json({ status: 'ready', store: ctx.database.dialect });
    } catch {
      res.status(503).json({ status: 'unavailable', store: ctx.database.dialect });
    }
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      const body = await ctx.metrics.metrics();
      res.setHeader('Content-Type', ctx.metrics.contentType);
      res.send(body);
    } catch (err) {
      next(err);
    }
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(ctx.openapi.document(BUILD_VERSION));
  });
}
