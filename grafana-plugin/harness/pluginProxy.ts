/**
 * Grafana's app-plugin proxy, as far as this plugin relies on it: a request to
 * /api/plugin-proxy/<id>/<path> is matched against plugin.json `routes` by path prefix and
 * method, the route's `reqRole` is checked against the signed-in user's role, and the route's
 * `url` and `headers` templates are filled from jsonData / secureJsonData on the server. The
 * browser's own Authorization and Cookie headers are not forwarded.
 */
export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface PluginSettings {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export const ROLE_ORDER = ['Viewer', 'Editor', 'Admin'] as const;
export type OrgRole = (typeof ROLE_ORDER)[number];

export function roleAllows(user: OrgRole, required: string | undefined): boolean {
  if (!required) return true;
  const need = ROLE_ORDER.indexOf(required as OrgRole);
  return need >= 0 && ROLE_ORDER.indexOf(user) >= need;
}

/** `{{ .JsonData.exporterUrl }}`, `{{ .SecureJsonData.exporterToken }}`; unknown keys become ''. */
export function fillTemplate(template: string, settings: PluginSettings): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, bag: string, key: string) => {
    const source = bag === 'JsonData' ? settings.jsonData : settings.secureJsonData;
    const value = source[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The first route whose path is a segment prefix of `proxyPath` and whose method matches. */
export function matchRoute(routes: PluginRoute[], proxyPath: string, method: string): PluginRoute | null {
  for (const r of routes) {
    const prefix = r.path.replace(/^\/+|\/+$/g, '');
    if (proxyPath !== prefix && !proxyPath.startsWith(`${prefix}/`)) continue;
    if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
    return r;
  }
  return null;
}

export interface ProxyTarget {
  url: string;
  headers: Record<string, string>;
}

export function proxyTarget(route: PluginRoute, proxyPath: string, search: string, settings: PluginSettings): ProxyTarget {
  const base = fillTemplate(route.url, settings).replace(/\/+$/, '');
  const rest = proxyPath.slice(route.path.replace(/^\/+|\/+$/g, '').length);
  const headers: Record<string, string> = {};
  for (const h of route.headers ?? []) headers[h.name] = fillTemplate(h.content, settings);
  return { url: `${base}${rest}${search}`, headers };
}
