import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** Name of the datasource template variable every dashboard carries. */
export const DATASOURCE_VARIABLE = 'datasource';

/** Fixed uid of the provisioned Prometheus datasource (provisioning/grafana/datasources). */
export const PROVISIONED_PROMETHEUS_UID = 'modelwatch-prometheus';

/** Panels and queries point at the variable, so the same JSON works against any Prometheus. */
export const PROMETHEUS: dashboard.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
