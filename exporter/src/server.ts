import type { Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { Authenticator } from './auth/authenticator.js';
import type { AppContext } from './app/context.js';
import type { Feature, FeatureInstance, Services } from './app/feature.js';
import { FEATURES } from './app/features/index.js';
import type { Config } from './config/config.js';
import { createApp } from './http/create-app.js';
import { listen } from './http/listen.js';
import { OpenApiCatalog } from './http/openapi.js';
import { createLogger, type Logger } from './logger.js';
import { CATALOG } from './metrics/catalog.js';
import { registerProcessMetrics } from './metrics/process-metrics.js';
import { openDatabase } from './store/database.js';
import { ReferenceStore } from './store/reference-store.js';
import { TokenStore } from './store/token-store.js';
import { ensureBootstrapAdmin } from './auth/bootstrap.js';
import { BUILD_VERSION } from './version.js';

export interface RunningServer {
  ctx: AppContext;
  services: Services;
  server: Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  url: string;
  /** Set only when the admin token was generated at this start. */
  generatedAdminToken?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log?: Logger;
  features?: Feature[];
  now?: () => number;
  /** Extra features after the built-in ones (demo traffic). */
  extraFeatures?: Feature[];
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  const tokens = new TokenStore(database.db);
  const generatedAdminToken = config.adminToken ? undefined : await ensureBootstrapAdmin(tokens, new Date().toISOString());
  const metrics = new Registry();
  registerProcessMetrics(metrics);
  const buildInfo = new Gauge({
    name: CATALOG.buildInfo.name,
    help: CATALOG.buildInfo.help,
    labelNames: [...CATALOG.buildInfo.labels],
    registers: [metrics],
  });
  buildInfo.set({ version: BUILD_VERSION, node_version: process.version }, 1);

  const ctx: AppContext = {
    config,
    log,
    database,
    auth: new Authenticator(tokens, config.adminToken, config.grafanaTokenId),
    tokens,
    references: new ReferenceStore(database.db),
    metrics,
    openapi: new OpenApiCatalog(),
    now: options.now ?? Date.now,
  };
  const services: Services = {};
  const instances: FeatureInstance[] = [];
  for (const feature of [...(options.features ?? FEATURES), ...(options.extraFeatures ?? [])]) {
    instances.push(await feature.init(ctx, services));
  }
  const app = createApp(
    ctx,
    instances.flatMap((i) => (i.routes ? [i.routes] : [])),
  );
  const server = await listen(app, config.port, config.host).catch(async (err: unknown) => {
    for (const i of instances.reverse()) await i.close?.();
    await database.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  log.info({ port, store: database.dialect }, 'modelwatch exporter listening');
  return {
    ctx,
    services,
    server,
    port,
    url: `http://${host}:${port}`,
    generatedAdminToken,
    async close() {
      // Stop taking requests and let those in flight finish before the features close (the
      // monitoring feature writes its final checkpoint then), so nothing acknowledged is missed.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const force = setTimeout(() => server.closeAllConnections?.(), 2000);
      await stopped;
      clearTimeout(force);
      for (const i of instances.reverse()) await i.close?.();
      await database.close();
    },
  };
}
