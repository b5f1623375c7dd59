import { registerRegistryCollectors } from '../../collectors/registry.js';
import { registerAuditRoutes } from '../../http/routes/audit.js';
import { registerRegistryRoutes } from '../../http/routes/registry.js';
import { registerTokenRoutes } from '../../http/routes/tokens.js';
import { RegistryService } from '../../registry/service.js';
import { TokenService } from '../../registry/token-service.js';
import { KyselyRegistryStore } from '../../store/registry-store.js';
import type { Feature } from '../feature.js';

/**
 * The model registry (issue 4): stages, gates, rollback, audit chain, tokens, and its series
 * on /metrics. Publishes `services.registry` (a RegistryService) and `services.tokens`; the
 * alert receiver calls `registry.rollback(model, { reason, fromVersion, trigger: 'alert' },
 * 'alertmanager')` and treats StaleRollbackError (registry/errors.ts) as "already done".
 */
export const registryFeature: Feature = {
  name: 'registry',
  init: async (ctx, services) => {
    const store = new KyselyRegistryStore(ctx.database.db);
    const registry = new RegistryService(store, ctx.now);
    const tokens = new TokenService(store, ctx.now);
    services.registry = registry;
    services.tokens = tokens;
    registerRegistryCollectors(ctx, store);
    return {
      routes: (router, routeCtx) => {
        registerRegistryRoutes(router, routeCtx, registry);
        registerAuditRoutes(router, routeCtx, registry);
        registerTokenRoutes(router, routeCtx, tokens);
      },
    };
  },
};
