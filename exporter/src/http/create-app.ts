import express, { type Express } from 'express';
import type { HttpContext, RouteModule } from './context.js';
import { errorBody } from '../error-codes.js';
import { errorHandler } from './error-handler.js';
import { authenticateBeforeBody } from './auth-middleware.js';
import { requireBody, requireJsonContentType, type RawBodyRequest } from './content-type.js';
import { rejectDuplicateKeys, type KeptBodyRequest } from './duplicate-keys.js';
import { registerSystemRoutes, type SystemEndpoints } from './routes/system.js';

export type { RouteModule } from './context.js';

export interface AppOptions {
  /** Largest JSON body accepted (MODELWATCH_MAX_BODY_BYTES); larger ones get 413. */
  maxBodyBytes: number;
  /** The /api/v1 endpoints, mounted in this order (app/root.ts lists them). */
  routes: readonly RouteModule[];
  system: SystemEndpoints;
}

/**
 * Builds the express app. Feature route modules (ingest, registry, alerting) are passed in
 * so that this file does not grow with every endpoint.
 */
export function createApp(ctx: HttpContext, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const api = express.Router();
  // Order matters: who is asking before what they send, the media type before parsing.
  api.use(authenticateBeforeBody(ctx.auth));
  api.use(requireJsonContentType);
  api.use(
    express.json({
      limit: options.maxBodyBytes,
      strict: true,
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).bodyBytes = buf.length;
        (req as RawBodyRequest).bodyBuffer = buf;
        (req as KeptBodyRequest).rawBody = buf;
      },
    }),
  );
  api.use(requireBody);
  api.use(rejectDuplicateKeys);
  for (const mount of options.routes) mount(api, ctx);
  registerSystemRoutes(app, api, ctx, options.system);
  app.use('/api/v1', api);
  app.use((_req, res) => {
    res.status(404).json(errorBody('MW_ERR_NO_ROUTE', 'not found'));
  });
  app.use(errorHandler(ctx.log));
  return app;
}
