import { DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';

/** App plugin id and its model page, as routed by grafana-plugin (see grafana-plugin/src/constants.ts). */
export const APP_PLUGIN_ID = 'modelwatch-app';
export const appModelPath = (model: string): string => `/a/${APP_PLUGIN_ID}/models/${model}`;

/** Dashboard uids are fixed so links between dashboards and from the plugin never break. */
export const UIDS = {
  fleet: 'modelwatch-fleet-overview',
  modelDetail: 'modelwatch-model-detail',
  versionComparison: 'modelwatch-version-comparison',
  exporterHealth: 'modelwatch-exporter-health',
} as const;

export const dashboardPath = (uid: string, query = ''): string => `/d/${uid}${query ? `?${query}` : ''}`;

/** Field (data) link: clicking a value of a series labelled with `model` opens that model's registry page. */
export function modelPageDataLink(modelExpr = '${__field.labels.model}'): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Open model in modelwatch (versions, rollback)')
    .type(DashboardLinkType.Link)
    .url(appModelPath(modelExpr))
    .targetBlank(false);
}

/** For fleet-wide counts that have no single model: the app's model list, one click from the red number. */
export function modelListDataLink(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Open the modelwatch model list')
    .type(DashboardLinkType.Link)
    .url(`/a/${APP_PLUGIN_ID}/models`)
    .targetBlank(false);
}

/** Field (data) link to the model detail dashboard, keeping the time range. */
export function modelDetailDataLink(modelExpr = '${__field.labels.model}'): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Model detail dashboard')
    .type(DashboardLinkType.Link)
    .url(dashboardPath(UIDS.modelDetail, `var-model=${modelExpr}&\${__url_time_range}&\${${'datasource'}:queryparam}`))
    .targetBlank(false);
}

/** Top-of-dashboard links: the other modelwatch dashboards (by tag) and, with a model selected, its plugin page. */
export function modelwatchDashboardsLink(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('modelwatch dashboards')
    .type(DashboardLinkType.Dashboards)
    .tags(['modelwatch'])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false)
    .icon('external link');
}

export function appModelPageLink(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Model registry page: versions, promote, rollback')
    .type(DashboardLinkType.Link)
    .url(appModelPath('${model}'))
    .icon('external link')
    .tooltip('Open $model in the modelwatch app')
    .targetBlank(false)
    .includeVars(false)
    .keepTime(false);
}
