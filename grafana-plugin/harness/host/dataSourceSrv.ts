import type { DataSourceInstanceSettings, DataSourceRef } from '@grafana/data';
import { config, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';

/**
 * The lookups of Grafana's DatasourceSrv over the datasources the server put in bootData
 * (`config.datasources`, keyed by name). Creating DataSourceApi instances (get) is left out:
 * the plugin queries through /api/ds/query, never through a datasource object.
 */
export function createDataSourceSrv(): DataSourceSrv {
  const all = (): DataSourceInstanceSettings[] => Object.values(config.datasources ?? {});
  const matches = (ds: DataSourceInstanceSettings, f: GetDataSourceListFilters): boolean => {
    if (f.type !== undefined && !(Array.isArray(f.type) ? f.type.includes(ds.type) : f.type === ds.type)) return false;
    if (f.pluginId !== undefined && ds.meta.id !== f.pluginId) return false;
    if (f.metrics && !ds.meta.metrics) return false;
    if (f.alerting && !ds.meta.alerting) return false;
    if (f.annotations && !ds.meta.annotations) return false;
    if (f.filter && !f.filter(ds)) return false;
    return true;
  };
  const find = (ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined => {
    const list = all();
    if (ref === undefined || ref === null) return list.find((ds) => ds.isDefault);
    const key = typeof ref === 'string' ? ref : ref.uid;
    return list.find((ds) => ds.uid === key || ds.name === key);
  };
  return {
    getList: (filters = {}) =>
      all()
        .filter((ds) => matches(ds, filters))
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
    getInstanceSettings: (ref) => find(ref),
    get: () => Promise.reject(new Error('datasource instances are not provided by the harness')),
    reload: () => Promise.resolve(),
    registerRuntimeDataSource: () => {
      throw new Error('runtime datasources are not provided by the harness');
    },
  };
}
