import { Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

/**
 * The part of Grafana's backendSrv the plugin uses: fetch() as an Observable, errors shaped
 * like Grafana's FetchError ({status, data, statusText}). Same-origin, cookies only — like
 * Grafana, it never adds credentials of its own.
 */
export function createBackendSrv(): BackendSrv {
  const fetchObservable = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((subscriber) => {
      const url = new URL(options.url, window.location.origin);
      for (const [k, v] of Object.entries(options.params ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
      let body: string | undefined;
      if (options.data !== undefined) {
        body = JSON.stringify(options.data);
        headers['Content-Type'] = 'application/json';
      }
      fetch(url, { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = text ? JSON.parse(text) : {};
          } catch {
            /* leave as text */
          }
          if (!res.ok) {
            subscriber.error({ status: res.status, statusText: res.statusText, data, config: options });
            return;
          }
          subscriber.next({
            data: data as T,
            status: res.status,
            statusText: res.statusText,
            ok: true,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((err: unknown) => subscriber.error({ status: -1, statusText: String(err), data: {}, config: options }));
    });

  const unsupported = () => Promise.reject(new Error('not provided by the harness'));
  return {
    fetch: fetchObservable,
    get: unsupported,
    delete: unsupported,
    post: unsupported,
    patch: unsupported,
    put: unsupported,
    request: unsupported,
    datasourceRequest: unsupported,
    chunked: () => {
      throw new Error('not provided by the harness');
    },
  } as unknown as BackendSrv;
}
