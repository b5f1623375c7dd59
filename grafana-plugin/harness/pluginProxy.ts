/**
 * Grafana's app-plugin proxy, as far as this plugin relies on it (each function names the
 * Grafana source it follows; harness/README.md lists what differs): a request to
 * /api/plugin-proxy/<id>/<path> is matched against plugin.json `routes` by path pattern and
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

/**
 * `reqRole` as pluginproxy.go `hasAccessToRoute` applies it: when the route names a valid org
 * role (`org.RoleType.IsValid`), the user needs it or a higher one (`HasRole`: Admin includes
 * Editor includes Viewer); otherwise the route is open. A refused role ends the request with 403
 * "plugin proxy route access denied" — later routes are not tried.
 */
export function roleAllows(user: OrgRole, required: string | undefined): boolean {
  const need = ROLE_ORDER.indexOf(required as OrgRole);
  if (need < 0) return true;
  return ROLE_ORDER.indexOf(user) >= need;
}

/**
 * `{{ .JsonData.exporterUrl }}`, `{{ .SecureJsonData.exporterToken }}`: pkg/api/pluginproxy/utils.go
 * `interpolateString` runs Go's text/template over `templateData{JsonData map[string]any,
 * SecureJsonData map[string]string}`, so a missing jsonData key renders Go's "<no value>" and a
 * missing secureJsonData key renders "" (the zero string). Only plain field references are imitated.
 */
export function fillTemplate(template: string, settings: PluginSettings): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, bag: string, key: string) => {
    if (bag === 'SecureJsonData') return settings.secureJsonData[key] ?? '';
    const value = settings.jsonData[key];
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

/** A matched route and the part of the path below it that is appended to the route's URL. */
export interface RouteMatch {
  route: PluginRoute;
  rest: string;
}

/**
 * Route matching of Grafana's plugin proxy, grafana/grafana pkg/api/pluginproxy/pluginproxy.go
 * `HandleRequest` (tested in pluginproxy_test.go `TestPluginProxyRoutes`): routes are tried in
 * plugin.json order; a route with a `method` other than "" or "*" must equal the request's
 * method; its `path` is a pattern of Grafana's router tree (pkg/web/tree.go): a static path
 * matches only that exact path (`some-api` does not match `some-api/x`), and `prefix/*`
 * matches anything below `prefix`, the `*` part becoming the path appended to the route's URL.
 * The first match wins. `proxyPath` is the request path after `/api/plugin-proxy/<id>/`
 * (pkg/api/plugin_proxy.go `getProxyPath`, which cleans it with path.Join).
 * Not imitated: `:param` segments and `*` anywhere but at the end (this plugin uses neither).
 */
export function matchRoute(routes: PluginRoute[], proxyPath: string, method: string): RouteMatch | null {
  const path = proxyPath.replace(/^\/+|\/+$/g, '');
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) continue;
    const pattern = route.path.replace(/^\/+|\/+$/g, '');
    if (pattern.endsWith('/*')) {
      const prefix = pattern.slice(0, -2);
      if (path.startsWith(`${prefix}/`)) return { route, rest: path.slice(prefix.length + 1) };
    } else if (pattern === path) return { route, rest: '' };
  }
  return null;
}

export interface ProxyTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * Where Grafana sends the request and with which route headers: pluginproxy.go's director sets
 * the URL to the route's `url` template filled from jsonData/secureJsonData joined with the
 * matched rest (`util.JoinURLFragments`), keeps the query string, and sets each route header
 * from its template (pkg/api/pluginproxy/utils.go `addHeaders`, Go text/template over
 * `.JsonData` / `.SecureJsonData`).
 */
export function proxyTarget(match: RouteMatch, search: string, settings: PluginSettings): ProxyTarget {
  const base = new URL(fillTemplate(match.route.url, settings));
  const headers: Record<string, string> = {};
  for (const h of match.route.headers ?? []) headers[h.name] = fillTemplate(h.content, settings);
  base.pathname = joinUrlFragments(base.pathname, match.rest);
  base.search = search;
  return { url: base.toString(), headers };
}

/** pkg/util/url.go `JoinURLFragments`: b appended to a with exactly one slash between; an empty b leaves a as it is. */
export function joinUrlFragments(a: string, b: string): string {
  if (b === '') return a;
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) return a + b.slice(1);
  if (!aSlash && !bSlash) return `${a}/${b}`;
  return a + b;
}

/**
 * The user header of Grafana's data and plugin proxy: grafana/grafana
 * pkg/util/proxyutil/proxyutil.go `ApplyUserHeader` (called from
 * pkg/api/pluginproxy/pluginproxy.go's director, before the route headers are added) deletes
 * any incoming X-Grafana-User and, when `[dataproxy] send_user_header` is true and the
 * requester is a user or service account (not anonymous), sets it to the user's login.
 * Header name: `proxyutil.UserHeaderName`. The harness has no anonymous users.
 */
export function userHeader(sendUserHeader: boolean, login: string | undefined): Record<string, string> {
  return sendUserHeader && login ? { 'X-Grafana-User': login } : {};
}
