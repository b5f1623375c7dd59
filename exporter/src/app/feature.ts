import type { AppContext } from './context.js';
import type { RouteModule } from '../http/create-app.js';

/**
 * A slice of the exporter (monitoring, registry, alerting) assembled at startup. Features
 * publish services for later features through `services` (e.g. the alert receiver uses the
 * registry), register their collectors on ctx.metrics, and mount routes.
 */
export interface FeatureInstance {
  routes?: RouteModule;
  /** Background work (demo traffic, webhook delivery); stopped on close. */
  close?(): Promise<void>;
}

export type Services = Record<string, unknown>;

export interface Feature {
  name: string;
  init(ctx: AppContext, services: Services): Promise<FeatureInstance>;
}
