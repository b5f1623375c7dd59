import { Observable } from 'rxjs';
import { OrgRole } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv, type BackendSrv, type BackendSrvRequest, type DataSourceSrv } from '@grafana/runtime';

/** Test-only stand-in for Grafana's backendSrv: answers by "METHOD path" and records every call. */
export interface Reply {
  status: number;
  data?: unknown;
}
export type Handler = Reply | ((call: RecordedCall) => Reply);

export interface RecordedCall {
  method: string;
  /** The URL without query string. */
  path: string;
  params: Record<string, unknown>;
  data: unknown;
  options: BackendSrvRequest;
}

export interface FakeBackend {
  calls: RecordedCall[];
  on(method: string, path: string, handler: Handler): FakeBackend;
  callsTo(method: string, path: string): RecordedCall[];
}

export const PROXY = '/api/plugin-proxy/modelwatch-app/exporter/api/v1';

export function installFakeBackend(): FakeBackend {
  const handlers = new Map<string, Handler>();
  const calls: RecordedCall[] = [];
  const fake: FakeBackend = {
    calls,
    on(method, path, handler) {
      handlers.set(`${method} ${path}`, handler);
      return fake;
    },
    callsTo(method, path) {
      return calls.filter((c) => c.method === method && c.path === path);
    },
  };
  const srv = {
    fetch<T>(options: BackendSrvRequest) {
      return new Observable<{ data: T; status: number }>((sub) => {
        const method = (options.method ?? 'GET').toUpperCase();
        const call: RecordedCall = { method, path: options.url, params: options.params ?? {}, data: options.data, options };
        calls.push(call);
        const handler = handlers.get(`${method} ${options.url}`);
        // Answer asynchronously, like a real request.
        setTimeout(() => {
          if (!handler) {
            sub.error({ status: 404, data: { error: `no fake for ${method} ${options.url}` }, config: options });
            return;
          }
          const reply = typeof handler === 'function' ? handler(call) : handler;
          if (reply.status === 0) sub.error(new TypeError('Failed to fetch'));
          else if (reply.status >= 400) sub.error({ status: reply.status, statusText: '', data: reply.data ?? {}, config: options });
          else {
            sub.next({ data: reply.data as T, status: reply.status });
            sub.complete();
          }
        }, 0);
      });
    },
  };
  setBackendSrv(srv as unknown as BackendSrv);
  return fake;
}

/** Datasources as getDataSourceSrv() lists them (with the plugin meta DataSourcePicker reads). */
export function setDatasources(list: Array<{ uid: string; name: string; type: string }>): void {
  const settings = list.map((d) => ({ ...d, meta: { id: d.type, name: d.type, info: { logos: {} } } }));
  const matches = (d: { type: string }, filters?: { type?: string; pluginId?: string }) =>
    (!filters?.type || d.type === filters.type) && (!filters?.pluginId || d.type === filters.pluginId);
  setDataSourceSrv({
    getList: (filters?: { type?: string; pluginId?: string }) => settings.filter((d) => matches(d, filters)),
    getInstanceSettings: (ref?: string | { uid?: string } | null) => {
      const key = typeof ref === 'string' ? ref : ref?.uid;
      return settings.find((d) => d.uid === key || d.name === key);
    },
  } as unknown as DataSourceSrv);
}

export function setOrgRole(orgRole: 'Viewer' | 'Editor' | 'Admin'): void {
  config.bootData.user = { ...config.bootData.user, orgRole: OrgRole[orgRole], isGrafanaAdmin: false, isSignedIn: true };
}
