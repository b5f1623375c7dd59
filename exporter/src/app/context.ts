import type { Registry as PromRegistry } from 'prom-client';
import type { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { OpenedDatabase } from '../store/database.js';
import type { ReferenceStore } from '../store/reference-store.js';
import type { TokenStore } from '../store/token-store.js';
import type { OpenApiCatalog } from '../http/openapi.js';

/** What the HTTP layer and collectors are built from; assembled once in server.ts. */
export interface AppContext {
  config: Config;
  log: Logger;
  database: OpenedDatabase;
  auth: Authenticator;
  tokens: TokenStore;
  references: ReferenceStore;
  /** The registry /metrics serves; collectors register here and compute at scrape time. */
  metrics: PromRegistry;
  openapi: OpenApiCatalog;
  /** Clock in milliseconds; tests replace it to simulate time. */
  now: () => number;
}
