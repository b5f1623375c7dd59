import type { Router } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import type { Logger } from '../logger.js';
import type { OpenApiCatalog } from './openapi.js';

/** What every route needs from the HTTP layer itself: who is calling, where to document, where to log. */
export interface HttpContext {
  auth: Authenticator;
  openapi: OpenApiCatalog;
  log: Logger;
}

/** Mounts some endpoints on the /api/v1 router; the composition root lists them (app/root.ts). */
export type RouteModule = (router: Router, http: HttpContext) => void;
