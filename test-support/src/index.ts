export { freePort } from './ports.js';
export { until, type UntilOptions } from './until.js';
export { spawnChild, startChild, startListening, type Child, type ChildOptions, type StartOptions } from './child.js';
export { ALERTMANAGER_BIN, AMTOOL_BIN, PROMETHEUS_BIN, PROMTOOL_BIN, binaryExists, which } from './binaries.js';
export { EXPORTER_DIR, EXPORTER_MAIN, EXPORTER_SOURCE_MAIN, REPO_ROOT, SHIPPED_ALERTMANAGER_CONFIG } from './paths.js';
export {
  startPrometheus,
  type PrometheusAlert,
  type PrometheusOptions,
  type PromResponse,
  type PromResult,
  type RunningPrometheus,
  type VectorSample,
} from './prometheus.js';
export {
  shippedAlertmanagerConfig,
  startAlertmanager,
  webhookNotifications,
  type RollbackRouteTimings,
  type RunningAlertmanager,
} from './alertmanager.js';
export { startExporter, type ExporterOptions, type RunningExporter } from './exporter.js';
export { README_PICTURES, publishReadmePictures, updatingScreenshots } from './screenshots.js';
