import express, { type Express, type Router } from 'express';
import type { AppContext } from '../app/context.js';
import { errorBody } from '../error-codes.js';
import { errorHandler } from './error-handler.js';
import { authenticateBeforeBody } from './auth-middleware.js';
import { requireBody, requireJsonContentType, type RawBodyRequest } from './content-type.js';
import { registerSystemRoutes } from './routes/system.js';

export type RouteModule = (router: Router, ctx: AppContext) => void;

/**
 * Builds the express app. Feature route modules (ingest, registry, alerting) are passed in
 * so that this file does not grow with every endpoint.
 */
export function createApp(ctx: AppContext, modules: RouteModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const api = express.Router();
  // Order matters: who is asking before what they send, the media type before parsing.
  api.use(authenticateBeforeBody(ctx.auth));
  api.use(requireJsonContentType);
  api.use(
    express.json({
      limit: ctx.config.maxBodyBytes,
      strict: true,
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).bodyBytes = buf.length;
      },
    }),
  );
  api.use(requireBody);
  for (const mount of modules) mount(api, ctx);
  registerSystemRoutes(app, api, ctx);
  app.use('/api/v1', api);
  app.use((_req, res) => {
    res.status(404).json(errorBody('MW_ERR_NO_ROUTE', 'not found'));
  });
  app.use(errorHandler(ctx.log));
  return app;
}
