import pluginJson from './plugin.json';

export const PLUGIN_ID: string = pluginJson.id;

/** Where Grafana mounts this app's pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/**
 * The app's proxy route as named in plugin.json `routes[].path`. Grafana forwards
 * `/api/plugin-proxy/<id>/<route>/…` to the exporter and adds the Authorization header from
 * secureJsonData there, server-side; the browser never holds the token.
 */
export const EXPORTER_ROUTE = 'exporter';
export const EXPORTER_PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}/${EXPORTER_ROUTE}`;

/** Relative route paths inside the app (react-router, below PLUGIN_BASE_URL). */
export enum ROUTES {
  Models = 'models',
  Audit = 'audit',
}

/**
 * The model page, with versions and the rollback button: the link target for dashboard panels.
 * In a Grafana data link: `/a/modelwatch-app/models/${__field.labels.model}` (see README).
 */
export const MODEL_PAGE_URL_PATTERN = `${PLUGIN_BASE_URL}/${ROUTES.Models}/:model`;

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

export function modelPageUrl(model: string): string {
  return `${PLUGIN_BASE_URL}/${ROUTES.Models}/${encodeURIComponent(model)}`;
}

export function modelTransitionsUrl(model: string): string {
  return `${modelPageUrl(model)}/transitions`;
}

/** Fixed uid of the model-detail dashboard (dashboards/src/shared/links.ts UIDS.modelDetail). */
export const MODEL_DETAIL_DASHBOARD_UID = 'modelwatch-model-detail';

/**
 * The model-detail dashboard for `model`, over the given Grafana time range (`from`/`to` as
 * Grafana writes them in URLs: `now-6h` or epoch milliseconds).
 */
export function modelDashboardUrl(model: string, from: string, to: string): string {
  const q = new URLSearchParams({ 'var-model': model, from, to });
  return `/d/${MODEL_DETAIL_DASHBOARD_UID}?${q.toString()}`;
}

/** data-testid values the unit and browser tests select by; kept here so both agree. */
export const testIds = {
  models: {
    page: 'mw-models-page',
    search: 'mw-models-search',
    row: (model: string) => `mw-model-row-${model}`,
    liveMetrics: 'mw-models-live-metrics',
    health: 'mw-model-health',
    reasons: 'mw-model-reasons',
    alerts: 'mw-model-alerts',
    worstVersion: 'mw-model-worst-version',
    dashboardLink: 'mw-model-dashboard-link',
  },
  model: {
    page: 'mw-model-page',
    versionRow: (version: string) => `mw-version-row-${version}`,
    promote: (version: string) => `mw-promote-${version}`,
    archive: (version: string) => `mw-archive-${version}`,
    rollback: 'mw-rollback',
    lineage: 'mw-lineage',
    metrics: 'mw-validation-metrics',
  },
  incident: {
    view: 'mw-incident',
    timePicker: 'mw-incident-time',
    chart: (id: string) => `mw-chart-${id}`,
    annotation: 'mw-annotation',
    noData: 'mw-chart-no-data',
    alerts: 'mw-incident-alerts',
    changes: 'mw-incident-changes',
    notice: 'mw-incident-notice',
  },
  promote: {
    dialog: 'mw-promote-dialog',
    stage: 'mw-promote-stage',
    reason: 'mw-promote-reason',
    submit: 'mw-promote-submit',
    gateFailures: 'mw-gate-failures',
  },
  rollback: {
    dialog: 'mw-rollback-dialog',
    live: 'mw-rollback-live',
    reason: 'mw-rollback-reason',
    confirm: 'mw-rollback-confirm',
  },
  archive: {
    confirm: 'mw-archive-confirm',
  },
  retire: {
    archive: 'mw-archive-model',
    delete: 'mw-delete-model',
    dialog: 'mw-retire-dialog',
    reason: 'mw-retire-reason',
    archivedNotice: 'mw-model-archived',
    showArchived: 'mw-models-show-archived',
    archivedTag: 'mw-model-archived-tag',
  },
  transitions: {
    timeline: 'mw-transitions',
    item: 'mw-transition-item',
  },
  audit: {
    page: 'mw-audit-page',
    verify: 'mw-audit-verify',
    row: 'mw-audit-row',
  },
  config: {
    url: 'mw-config-url',
    token: 'mw-config-token',
    tokenConfigured: 'mw-config-token-configured',
    prometheus: 'mw-config-prometheus',
    save: 'mw-config-save',
  },
  error: 'mw-error',
};
