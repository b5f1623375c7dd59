import type { Server } from 'node:http';
import { loadAuditKeys } from '../auth/audit-keys.js';
import { Authenticator } from '../auth/authenticator.js';
import { ensureBootstrapAdmin } from '../auth/bootstrap.js';
import { AlertingMetrics } from '../collectors/alerting.js';
import { publishAuditHead } from '../collectors/audit-head.js';
import { buildInfoCollector } from '../collectors/build-info.js';
import { Exposition, ScrapeErrors, type Collector } from '../collectors/collector.js';
import { MonitoringCollector } from '../collectors/monitoring-collector.js';
import { processCollector } from '../collectors/process.js';
import { registryCollector } from '../collectors/registry.js';
import type { Config } from '../config/config.js';
import { prepareDemo, startDemoTraffic } from '../demo/traffic.js';
import type { Checkpointer } from '../durable/checkpointer.js';
import { ApplyClock } from '../durable/apply-clock.js';
import { startDurability } from '../durable/durability.js';
import { Journal } from '../durable/journal.js';
import { requireRole } from '../http/auth-middleware.js';
import type { HttpContext, RouteModule } from '../http/context.js';
import { createApp } from '../http/create-app.js';
import { listen } from '../http/listen.js';
import { OpenApiCatalog } from '../http/openapi.js';
import { registerAlertmanagerRoutes } from '../http/routes/alertmanager.js';
import { registerAuditRoutes } from '../http/routes/audit.js';
import { PositiveClassLookup } from '../registry/positive-class-lookup.js';
import { ingestRoutes } from '../http/routes/ingest.js';
import { ingestCommands } from '../http/routes/ingest-commands.js';
import { kpiRoutes } from '../http/routes/kpis.js';
import { referenceRoutes } from '../http/routes/reference.js';
import { registerRegistryRoutes } from '../http/routes/registry.js';
import { registerTokenRoutes } from '../http/routes/tokens.js';
import { statusRoutes } from '../http/routes/status.js';
import { registerWebhookRoutes } from '../http/routes/webhooks.js';
import { SteadyClock } from '../ingest/steady-clock.js';
import { Monitor } from '../ingest/monitor.js';
import { advanceWindows, startWindowClock } from '../ingest/window-clock.js';
import { parseStoredProfile } from '../ingest/reference-profile.js';
import { ingestSchemas } from '../ingest/schemas.js';
import { createLogger, type Logger } from '../logger.js';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import { RegistryService } from '../registry/service.js';
import { TokenService } from '../registry/token-service.js';
import { lockDataDir, type DataDirLock } from '../store/data-dir-lock.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { lockInstance, type InstanceLock } from '../store/instance-lock.js';
import { JournalStore } from '../store/journal-store.js';
import { ReferenceStore } from '../store/reference-store.js';
import { KyselyRegistryStore } from '../store/registry-store.js';
import { TokenStore } from '../store/token-store.js';
import { OutboxStore, type OutboxRow } from '../store/outbox-store.js';
import { KyselyWebhookStore } from '../store/webhook-store.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { webhookUrlProblem } from '../webhooks/url-policy.js';
import { deliveriesInTransaction, OutboxRelay } from '../webhooks/outbox.js';
import { ENV_WEBHOOK_ID, WebhookService, type DeliveryView } from '../webhooks/webhook-service.js';

/*
 * The composition root: the one file that knows every part of the exporter. Read it top to
 * bottom to see how the exporter is put together; each part is built from the parts above it,
 * in dependency order:
 *
 *   config → store(s) → registry service → monitor → collectors → webhooks → alert receiver
 *          → HTTP routes → server
 *
 * Nothing else constructs services or looks them up; parts receive what they use as arguments.
 */

export interface StartOptions {
  config: Config;
  log?: Logger;
  /** Clock in milliseconds; tests and the bench replace it to simulate time. */
  now?: () => number;
  /** Feed three demo models with synthetic traffic (`serve --demo`, `npm start`). */
  demo?: boolean;
  /** How often the windows slide with the clock (default 1 s; see ingest/window-clock.ts). */
  windowTickMs?: number;
}

/** Every part the root built, typed, for tests, the bench and the CLI. */
export interface ExporterParts {
  config: Config;
  log: Logger;
  now: () => number;
  database: OpenedDatabase;
  /** Signs and verifies the audit chain; from the environment or a secret file, never the database. */
  auditKeys: AuditKeyRing;
  tokens: TokenStore;
  references: ReferenceStore;
  registry: RegistryService;
  monitor: Monitor;
  /** Writes changed window state to the store (src/durable). */
  checkpointer: Checkpointer;
  /** The write-ahead ingest journal (src/durable/journal.ts). */
  journal: Journal;
  /** PostgreSQL only: this exporter's hold on its journal instance (store/instance-lock.ts). */
  instanceLock?: InstanceLock;
  webhooks: WebhookService;
  /** Relays the webhook outbox (`idle()` resolves once nothing is in flight). */
  relay: OutboxRelay;
  /** Every API operation, for the OpenAPI document. */
  openapi: OpenApiCatalog;
  /** /metrics: every collector, in the order the body lists them. */
  metrics: Exposition;
}

export interface RunningServer {
  parts: ExporterParts;
  server: Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  url: string;
  /** Set only when the admin token was generated at this start. */
  generatedAdminToken?: string;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  // one exporter per data directory: a second one on it would lose acknowledged data (see
  // store/data-dir-lock.ts); taken before anything in the directory is read or written
  const lock = lockDataDir(options.config.dataDir);
  try {
    return await startLocked(options, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(options: StartOptions, lock: DataDirLock): Promise<RunningServer> {
  // config
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;

  // the audit chain's keys, from outside the database
  const { ring: auditKeys, generated } = loadAuditKeys({ key: config.auditKey, keyFile: config.auditKeyFile, dataDir: config.dataDir });
  if (generated)
    log.warn(
      { file: generated },
      'generated an audit key file; replicas sharing a database must share one key (MODELWATCH_AUDIT_KEY_FILE)',
    );

  // store(s)
  const database = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  // PostgreSQL: one exporter per journal instance, which the data-directory lock cannot check
  // across hosts (store/instance-lock.ts); taken before the journal is read, on a session of its
  // own. SQLite's file belongs to the data directory, which is locked already.
  let instanceLock: InstanceLock | undefined;
  if (database.dialect === 'postgres' && config.databaseUrl) {
    instanceLock = await lockInstance(config.databaseUrl, config.journal.instance, log).catch(async (err: unknown) => {
      await database.close();
      throw err;
    });
  }
  const tokens = new TokenStore(database.db);
  const references = new ReferenceStore(database.db, auditKeys);
  const outbox = new OutboxStore(database.db);
  // registry changes write their webhook deliveries in their own transaction (the outbox)
  const registryStore = new KyselyRegistryStore(database.db, auditKeys, deliveriesInTransaction(outbox, config.webhook?.events));
  const webhookStore = new KyselyWebhookStore(database.db, auditKeys);
  // webhook secrets from before migration 008 (or under a retired audit key) get sealed now
  const sealedSecrets = await webhookStore.sealPlaintextSecrets();
  if (sealedSecrets) log.info({ sealed: sealedSecrets }, 'encrypted stored webhook secrets under the current audit key');
  const generatedAdminToken = config.adminToken ? undefined : await ensureBootstrapAdmin(tokens, new Date().toISOString());

  // registry service
  const registry = new RegistryService(registryStore, now);
  const tokenService = new TokenService(registryStore, now);
  // ingest consults the registry's positive class per model (issue 11), cached briefly
  const positiveClasses = new PositiveClassLookup(registryStore, now, (model, err) =>
    log.warn({ model, err }, 'could not read the registered positive class; using the last known one'),
  );
  registry.onCommitted(positiveClasses.onCommitted);

  // monitor: window state in memory, checkpointed to the store and restored at start (src/durable);
  // reference profiles are reloaded first, so restored drift windows land on the same bins
  // the journal pins the monitor's clock to a batch's recorded time while applying it (live and replay)
  // window time never runs backwards when the wall clock steps back (src/ingest/steady-clock.ts):
  // the windows, held labels, journal times and checkpoints all read this one clock; the registry,
  // audit log and webhooks keep wall-clock timestamps, which are for people to read
  const windowClock = new SteadyClock(now);
  const applyClock = new ApplyClock(windowClock.now);
  const monitor = new Monitor(config, applyClock.now, windowClock);
  const limits = {
    maxBatchEvents: config.maxBatchEvents,
    maxLabelValueLength: config.limits.maxLabelValueLength,
    maxReferenceValues: config.maxReferenceValues,
  };
  const schemas = ingestSchemas(limits);
  const commands = ingestCommands(monitor, schemas, limits);
  const journalStore = new JournalStore(database.db, config.journal.instance, () => instanceLock?.assertHeld());
  if (database.dialect === 'sqlite') {
    // the file is this exporter's alone: rows a former name wrote (a recreated container has a new
    // host name) would otherwise never be replayed — acknowledged batches lost at the next crash
    const adopted = await journalStore.adoptAll();
    if (adopted > 0) log.warn({ adopted, instance: config.journal.instance }, 'adopted journal rows written under another instance name');
  }
  const journal = new Journal({
    store: journalStore,
    clock: applyClock,
    log,
    enabled: config.journal.enabled,
    maxBytes: config.journal.maxBytes,
    retryAfterSeconds: Math.max(1, config.checkpointSeconds),
  });
  const scrapeErrors = new ScrapeErrors(log);
  // the demo fleet's references (in memory) are in place before the restore, like stored ones
  if (options.demo) await prepareDemo({ registry, monitor, limits: config.limits });
  for (const stored of await references.list()) {
    const profile = parseStoredProfile(stored.profileJson);
    if (!profile) {
      log.warn({ model: stored.model, version: stored.version }, 'skipping unreadable stored reference profile');
      continue;
    }
    // reloaded, not ingested: its drops were counted when it was uploaded
    monitor.restoring(() => monitor.applyReference(stored.model, stored.version, profile));
  }
  // restore the snapshots, then replay the journal rows they do not cover (src/durable)
  const durability = await startDurability({
    config,
    log,
    database,
    monitor,
    now: windowClock.now,
    journal: {
      journal,
      // counted by the process that acknowledged them, not again (Monitor.restoring)
      apply: (r) => monitor.restoring(() => commands.replay(r)),
      // what the window clock does each second, at the recorded time of the replayed batches
      tick: (t) =>
        monitor.restoring(() => {
          advanceWindows(monitor.models.values(), t, log);
          monitor.expireHeldLabels(t);
          monitor.expirePendingPredictions(t);
        }),
    },
  });
  // the windows slide with the clock, so reading them (/metrics, checkpoints) changes nothing
  const stopWindowClock = startWindowClock({
    models: () => monitor.models.values(),
    now: windowClock.now,
    log,
    tickMs: options.windowTickMs,
    onTick: (t) => {
      monitor.expireHeldLabels(t);
      monitor.expirePendingPredictions(t);
    },
  });

  // collectors: one contract (collectors/collector.ts), one list, in the order /metrics lists them
  // the audit chain head, published outside the database: gauges and signed checkpoint lines
  const auditHead = publishAuditHead({ registry, keys: auditKeys, log, intervalSeconds: config.auditCheckpointSeconds, now });
  // counts the Alertmanager receiver's outcomes and webhook deliveries (relay built below)
  const alerting = new AlertingMetrics(() => relay.pendingCount);
  const collectors: Collector[] = [
    processCollector(),
    buildInfoCollector(),
    registryCollector(registryStore, config.limits, log),
    new MonitoringCollector(monitor, config, scrapeErrors),
    auditHead.collector,
    alerting,
    durability.collector,
    journal.collector,
  ];
  const metrics = new Exposition(collectors, scrapeErrors);

  // webhooks: subscriptions, delivery, and the registry's committed changes announced to them
  const policy = { allowPrivate: config.webhookAllowPrivate };
  const envWebhook = config.webhook;
  if (envWebhook) {
    const problem = await webhookUrlProblem(envWebhook.url, policy);
    // A name that does not resolve yet may later; an address that is refused never will.
    if (problem && !/does not resolve/.test(problem)) throw new Error(`MODELWATCH_WEBHOOK_URL ${problem}`);
    if (problem) log.warn({ problem }, 'MODELWATCH_WEBHOOK_URL does not resolve yet; deliveries will retry');
  }
  // One attempt per dispatch: the outbox relay keeps the retry schedule in the store.
  const dispatcher = new WebhookDispatcher({ policy, log, maxAttempts: 1, maxPending: 100 });
  const relay = new OutboxRelay({
    store: outbox,
    dispatcher,
    targets: async () => {
      const targets = new Map((await webhookStore.list()).map((h) => [h.id, { id: h.id, url: h.url, secret: h.secret }]));
      if (envWebhook) targets.set(ENV_WEBHOOK_ID, { id: ENV_WEBHOOK_ID, url: envWebhook.url, secret: envWebhook.secret });
      return targets;
    },
    log,
    // runs only once deliveries start, by which time `alerting` exists
    onOutcome: (o) => alerting.delivery(o),
  });
  const webhooks = new WebhookService({
    store: webhookStore,
    wake: () => relay.wake(),
    recentDeliveries: async (id, limit) => (await outbox.recent(id, limit)).map(deliveryView),
    policy,
    log,
    now,
    envWebhook,
  });
  relay.start();
  registry.onCommitted((event) => webhooks.committed(event));

  // HTTP routes; the alert receiver rolls back through the registry service
  const openapi = new OpenApiCatalog();
  const http: HttpContext = {
    auth: new Authenticator(tokens, config.adminToken, config.grafanaTokenId),
    openapi,
    log,
  };
  const routes: RouteModule[] = [
    // a model another replica checkpointed is loaded before this one applies its events
    (router, h) => router.post(['/predictions', '/feedback', '/kpis'], requireRole(h.auth, 'ingest'), durability.ensureModel),
    (router, h) => registerRegistryRoutes(router, h, registry, (model, positive) => monitor.registryPositiveProblem(model, positive)),
    (router, h) => registerAuditRoutes(router, h, registry),
    (router, h) => registerTokenRoutes(router, h, tokenService),
    ingestRoutes(schemas, commands, journal, positiveClasses),
    kpiRoutes(monitor, schemas, commands, journal),
    referenceRoutes(monitor, schemas, { references, limits: config.limits, now, registered: positiveClasses, journal }),
    (router, h) => registerAlertmanagerRoutes(router, h, registry, (outcomes) => alerting.alertsHandled(outcomes)),
    (router, h) => registerWebhookRoutes(router, h, webhooks),
    statusRoutes(monitor, registry, config, windowClock.now),
  ];
  const app = createApp(http, {
    maxBodyBytes: config.maxBodyBytes,
    routes,
    system: {
      store: database.dialect,
      // unready while the journal instance lock is not held: ingest would answer 503
      ping: async () => {
        instanceLock?.assertHeld();
        await database.ping();
      },
      scrape: (format) => metrics.render(format),
    },
  });

  // demo traffic goes in before the server listens, so /metrics shows real series at once
  const stopDemo = options.demo
    ? await startDemoTraffic({ monitor, ensureModel: (model) => durability.checkpointer.ensure(model) })
    : undefined;

  // server
  const stopParts = async () => {
    stopDemo?.();
    stopWindowClock();
    auditHead.stop();
    await relay.close();
    await durability.close(); // writes the final checkpoint
  };
  const server = await listen(app, config.port, config.host).catch(async (err: unknown) => {
    await stopParts();
    await instanceLock?.release();
    await database.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  log.info({ port, store: database.dialect }, 'modelwatch exporter listening');
  return {
    parts: {
      config,
      log,
      now,
      database,
      auditKeys,
      tokens,
      references,
      registry,
      monitor,
      checkpointer: durability.checkpointer,
      journal,
      instanceLock,
      webhooks,
      relay,
      openapi,
      metrics,
    },
    server,
    port,
    url: `http://${host}:${port}`,
    generatedAdminToken,
    async close() {
      // Stop taking requests and let those in flight finish before the parts close (durability
      // writes its final checkpoint then), so nothing acknowledged is missed.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const force = setTimeout(() => server.closeAllConnections?.(), 2000);
      await stopped;
      clearTimeout(force);
      try {
        await stopParts();
      } finally {
        // a failed final checkpoint still lets the instance, the database and the directory go
        await instanceLock?.release();
        await database.close();
        lock.release();
      }
    },
  };
}

function deliveryView(r: OutboxRow): DeliveryView {
  return {
    id: r.id,
    event: r.event,
    status: r.status as DeliveryView['status'],
    attempts: r.attempts,
    last_status: r.last_status,
    last_error: r.last_error,
    created_at: r.created_at,
    finished_at: r.finished_at,
  };
}
