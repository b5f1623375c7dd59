import type { Feature } from '../feature.js';
import { registryFeature } from './registry.js';
import { monitoringFeature } from './monitoring.js';
import { alertingFeature } from './alerting.js';
import { statusFeature } from './status.js';

/** Order matters: later features may use services published by earlier ones. */
export const FEATURES: Feature[] = [registryFeature, monitoringFeature, alertingFeature, statusFeature];
