import { statusRoutes } from '../../http/routes/status.js';
import type { Monitor } from '../../ingest/monitor.js';
import type { RegistryService } from '../../registry/service.js';
import type { Feature } from '../feature.js';

/** The JSON status view of a model version; needs the monitor and the registry published before it. */
export const statusFeature: Feature = {
  name: 'status',
  init: async (ctx, services) => {
    const monitor = services.monitor as Monitor | undefined;
    const registry = services.registry as RegistryService | undefined;
    if (!monitor || !registry) return {};
    return { routes: statusRoutes(monitor, registry) };
  },
};
