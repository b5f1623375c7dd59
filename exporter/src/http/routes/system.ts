import type { Express, Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { renderMetrics } from '../../collectors/monitoring-exposition.js';
import { BUILD_VERSION } from '../../version.js';

export function registerSystemRoutes(app: Express, api: Router, ctx: AppContext): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await ctx.database.ping();
      res.json({ status: 'ready', store: ctx.database.dialect });
    } catch {
      res.status(503).json({ status: 'unavailable', store: ctx.database.dialect });
    }
  });

  // Bytes straight to the socket: res.send would hash the ~12 MiB body for an ETag and copy it.
  app.get('/metrics', async (_req, res, next) => {
    try {
      const chunks = await renderMetrics(ctx.metrics);
      res.setHeader('Content-Type', ctx.metrics.contentType);
      res.setHeader(
        'Content-Length',
        chunks.reduce((n, c) => n + c.length, 0),
      );
      for (const c of chunks.slice(0, -1)) res.write(c);
      res.end(chunks[chunks.length - 1]);
    } catch (err) {
      next(err);
    }
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(ctx.openapi.document(BUILD_VERSION));
  });
}
