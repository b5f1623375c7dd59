import type { Feature } from '../feature.js';
import { MonitoringCollector } from '../../collectors/monitoring-collector.js';
import { ingestRoutes } from '../../http/routes/ingest.js';
import { kpiRoutes } from '../../http/routes/kpis.js';
import { referenceRoutes } from '../../http/routes/reference.js';
import { Monitor } from '../../ingest/monitor.js';
import { parseStoredProfile } from '../../ingest/reference-profile.js';
import { ingestSchemas } from '../../ingest/schemas.js';
import { startDurability } from '../../durable/durability.js';
import { requireRole } from '../../http/auth-middleware.js';

/**
 * Ingest (predictions, feedback, KPIs, references), sliding-window state and its collector.
 * Publishes `services.monitor` (a Monitor) for later features. Window state lives in memory,
 * is checkpointed to the store and restored at start (src/durable); reference profiles are
 * reloaded from the store first, so restored drift windows land on the same bins.
 */
export const monitoringFeature: Feature = {
  name: 'monitoring',
  init: async (ctx, services) => {
    const monitor = new Monitor(ctx.config, ctx.now);
    for (const stored of await ctx.references.list()) {
      const profile = parseStoredProfile(stored.profileJson);
      if (!profile) {
        ctx.log.warn({ model: stored.model, version: stored.version }, 'skipping unreadable stored reference profile');
        continue;
      }
      monitor.applyReference(stored.model, stored.version, profile);
    }
    const durability = await startDurability({ ...ctx, monitor });
    new MonitoringCollector(monitor, ctx.config).register(ctx.metrics);
    services.monitor = monitor;
    services.checkpointer = durability.checkpointer;
    const limits = {
      maxBatchEvents: ctx.config.maxBatchEvents,
      maxLabelValueLength: ctx.config.limits.maxLabelValueLength,
      maxReferenceValues: ctx.config.maxReferenceValues,
    };
    const schemas = ingestSchemas(limits);
    const mounts = [ingestRoutes(monitor, schemas, limits), kpiRoutes(monitor, schemas), referenceRoutes(monitor, schemas)];
    return {
      routes: (router, c) => {
        router.post(['/predictions', '/feedback', '/kpis'], requireRole(c.auth, 'ingest'), durability.ensureModel);
        mounts.forEach((m) => m(router, c));
      },
      close: () => durability.close(),
    };
  },
};
