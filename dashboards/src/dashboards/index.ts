import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { exporterHealth } from './exporter-health.js';
import { fleetOverview } from './fleet-overview.js';
import { modelDetail } from './model-detail.js';
import { versionComparison } from './version-comparison.js';

export interface DashboardFile {
  /** File name under dashboards/generated/. */
  file: string;
  build(): Dashboard;
}

export const DASHBOARDS: readonly DashboardFile[] = [
  { file: 'fleet-overview.json', build: fleetOverview },
  { file: 'model-detail.json', build: modelDetail },
  { file: 'version-comparison.json', build: versionComparison },
  { file: 'exporter-health.json', build: exporterHealth },
];
