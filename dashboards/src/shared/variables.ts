import { DatasourceVariableBuilder, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE_VARIABLE, PROMETHEUS, PROVISIONED_PROMETHEUS_UID } from './datasource.js';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Prometheus')
    .type('prometheus')
    .current({ text: 'Prometheus', value: PROVISIONED_PROMETHEUS_UID });
}

function labelValuesVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalCaseInsensitiveAsc);
}

/** Every model that has sent predictions (the registry may know more, but those have no series). */
export function modelVariable(): QueryVariableBuilder {
  return labelValuesVariable('model', 'Model', 'label_values(modelwatch_predictions_total, model)');
}

/** Versions of the selected model that received traffic. */
export function versionVariable(name = 'version', label = 'Version', options: { multi?: boolean } = {}): QueryVariableBuilder {
  const v = labelValuesVariable(name, label, 'label_values(modelwatch_predictions_total{model="$model"}, version)');
  if (options.multi) v.multi(true).includeAll(true);
  return v;
}
