import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = path.resolve(DASHBOARDS_DIR, '..');
export const GENERATED_DIR = path.join(DASHBOARDS_DIR, 'generated');
export const ALERT_RULES_GENERATED_DIR = path.join(REPO_ROOT, 'alert-rules', 'generated');
export const PROMETHEUS_CONFIG = path.join(REPO_ROOT, 'provisioning', 'prometheus', 'prometheus.yml');
