import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { datasourceBootSettings, runDsQuery, type DsQueryOutcome, type HarnessDatasource } from './datasources';
import { matchRoute, proxyTarget, roleAllows, userHeader, type OrgRole, type PluginRoute, type PluginSettings } from './pluginProxy';

export interface HarnessOptions {
  /** The plugin's built dist/ (module.js, plugin.json, img/). */
  pluginDist: string;
  /** harness/dist, holding host.js and its chunks. */
  hostDist: string;
  /** Settings as provisioned: jsonData (browser-visible) and secureJsonData (server only). */
  settings: PluginSettings;
  role: OrgRole;
  /** Datasources Grafana knows (none by default: the plugin must then explain missing live metrics). */
  datasources?: HarnessDatasource[];
  /**
   * How long /api/ds/query waits after resolving `now` before asking Prometheus. A scrape that
   * started just before `now` is stamped before it but lands a few ms later; waiting lets a test
   * ask Prometheus the same question at the same instant and get the same answer.
   */
  dsQuerySettleMs?: number;
  /**
   * grafana.ini `[dataproxy] send_user_header` (provisioning/grafana/grafana.ini sets it): the
   * plugin proxy then sends the signed-in user's login as X-Grafana-User. Default true, as provisioned.
   */
  sendUserHeader?: boolean;
}

export interface RunningHarness {
  url: string;
  setRole(role: OrgRole): void;
  /** Every request the harness proxied, as the exporter received it (for assertions). */
  proxied: Array<{ method: string; url: string; status: number }>;
  /** Takes effect on the next page load (datasources reach the browser in bootData). */
  setDatasources(list: HarnessDatasource[]): void;
  /** Every /api/ds/query answered: when it was evaluated, what it asked, its HTTP status. */
  dsQueries: Array<{
    evaluatedAtMs: number;
    queries: Array<{ refId: string; expr: string; datasourceUid: string }>;
    status: number;
    asked: DsQueryOutcome['asked'];
  }>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.md': 'text/markdown',
  '.png': 'image/png',
};

const ICONS_PREFIX = '/public/build/img/icons/';
const GRAFANA_UI_ICONS = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function serveFile(res: http.ServerResponse, root: string, relative: string): void {
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    sendJson(res, 404, { message: 'not found' });
    return;
  }
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

/**
 * A stand-in for the Grafana server around one app plugin: the HTML shell with bootData
 * (user and public settings only), the plugin's static files, the plugin settings API
 * (secureJsonData is write-only, reported as secureJsonFields), the plugin proxy, and the
 * datasource query API (/api/ds/query) over real Prometheus datasources.
 */
export async function startHarness(options: HarnessOptions): Promise<RunningHarness> {
  const pluginJson = JSON.parse(fs.readFileSync(path.join(options.pluginDist, 'plugin.json'), 'utf8')) as {
    id: string;
    routes?: PluginRoute[];
  };
  const id = pluginJson.id;
  const routes = pluginJson.routes ?? [];
  const settings: PluginSettings = { jsonData: { ...options.settings.jsonData }, secureJsonData: { ...options.settings.secureJsonData } };
  let role = options.role;
  const proxied: RunningHarness['proxied'] = [];
  let datasources = [...(options.datasources ?? [])];
  const dsQueries: RunningHarness['dsQueries'] = [];

  // The harness's signed-in user: login `editor` for the Editor role, and so on (see bootData below).
  const signedInLogin = () => role.toLowerCase();

  const meta = () => ({
    id,
    name: 'modelwatch',
    type: 'app',
    enabled: true,
    pinned: true,
    jsonData: settings.jsonData,
    // Grafana reports only which secure fields are set, never their values.
    secureJsonFields: Object.fromEntries(Object.keys(settings.secureJsonData).map((k) => [k, true])),
    info: {},
    baseUrl: `public/plugins/${id}`,
    module: `public/plugins/${id}/module.js`,
  });

  // The page Grafana serves for every frontend route: public/views/index.html, which sets
  // <base href="[[.AppSubUrl]]/"> and writes `window.grafanaBootData = { user, settings, navTree }`
  // from pkg/api/dtos/index.go (IndexViewData: `User` is CurrentUser, `Settings` FrontendSettingsDTO
  // from pkg/api/frontendsettings.go, whose `datasources` map is keyed by datasource name). Only the
  // fields the plugin and @grafana/runtime's config read are filled in.
  const shell = () => {
    const bootData = {
      user: {
        id: 1,
        login: signedInLogin(),
        name: `${role} user`,
        orgId: 1,
        orgName: 'Main Org.',
        orgRole: role,
        isGrafanaAdmin: false,
        isSignedIn: true,
        timezone: 'utc',
      },
      settings: {
        appSubUrl: '',
        buildInfo: { version: '13.1.1' },
        theme2: undefined,
        datasources: datasourceBootSettings(datasources),
        defaultDatasource: (datasources.find((d) => d.isDefault) ?? datasources[0])?.name ?? '',
      },
      navTree: [],
    };
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><base href="/" /><title>modelwatch – Grafana harness</title>
<script>window.grafanaBootData = ${JSON.stringify(bootData)}; window.harnessBoot = ${JSON.stringify({ pluginId: id })};</script>
</head><body><div id="root"></div><script src="/harness/host.js"></script></body></html>`;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => sendJson(res, 500, { message: String(err) }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://harness');
    const p = url.pathname;
    const method = req.method ?? 'GET';

    if (p.startsWith('/harness/')) return serveFile(res, options.hostDist, p.slice('/harness/'.length));
    if (p.startsWith(`/public/plugins/${id}/`)) return serveFile(res, options.pluginDist, p.slice(`/public/plugins/${id}/`.length));

    if (p === `/api/plugins/${id}/settings`) {
      if (method === 'GET') return sendJson(res, 200, meta());
      if (method === 'POST') {
        if (role !== 'Admin') return sendJson(res, 403, { message: 'Permission denied' });
        const body = JSON.parse((await readBody(req)).toString() || '{}') as {
          jsonData?: Record<string, unknown>;
          secureJsonData?: Record<string, string>;
        };
        if (body.jsonData) settings.jsonData = body.jsonData;
        if (body.secureJsonData) Object.assign(settings.secureJsonData, body.secureJsonData);
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
    }

    if (p === '/api/ds/query' && method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)).toString() || '{}');
      } catch {
        return sendJson(res, 400, { message: 'bad request data' });
      }
      const settle = options.dsQuerySettleMs ?? 0;
      const outcome = await runDsQuery(body, datasources, Date.now(), () => new Promise((r) => setTimeout(r, settle)));
      const asked = ((body as { queries?: Array<{ refId?: string; expr?: string; datasource?: { uid?: string } }> }).queries ?? []).map(
        (q) => ({
          refId: String(q.refId ?? ''),
          expr: String(q.expr ?? ''),
          datasourceUid: String(q.datasource?.uid ?? ''),
        }),
      );
      dsQueries.push({ evaluatedAtMs: outcome.evaluatedAtMs, queries: asked, status: outcome.status, asked: outcome.asked });
      return sendJson(res, outcome.status, outcome.body);
    }

    const proxyPrefix = `/api/plugin-proxy/${id}/`;
    if (p.startsWith(proxyPrefix)) {
      const proxyPath = p.slice(proxyPrefix.length);
      const match = matchRoute(routes, proxyPath, method);
      if (!match) return sendJson(res, 404, { message: 'plugin route match not found' });
      if (!roleAllows(role, match.route.reqRole)) return sendJson(res, 403, { message: 'plugin proxy route access denied' });
      const target = proxyTarget(match, url.search, settings);
      // Only the headers named here reach the exporter, so an X-Grafana-User the browser sent
      // is dropped, as Grafana's ApplyUserHeader deletes it before anything else.
      // The route's headers come after the user header, as addHeaders runs after ApplyUserHeader.
      const headers: Record<string, string> = {
        ...userHeader(options.sendUserHeader ?? true, signedInLogin()),
        ...target.headers,
        Accept: 'application/json',
      };
      if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
      const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
      let upstream: Response;
      try {
        upstream = await fetch(target.url, { method, headers, body });
      } catch {
        proxied.push({ method, url: target.url, status: 502 });
        return sendJson(res, 502, { message: 'Bad Gateway' });
      }
      proxied.push({ method, url: target.url, status: upstream.status });
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }

    // @grafana/ui's Icon fetches `public/build/img/icons/<set>/<name>.svg` relative to the
    // <base href> (Grafana's public/views/index.html sets it to appSubUrl + '/'); the SVGs ship
    // in @grafana/ui's dist/public/img/icons.
    if (p.startsWith(ICONS_PREFIX)) return serveFile(res, GRAFANA_UI_ICONS, p.slice(ICONS_PREFIX.length));
    // Grafana's other assets (fonts, images) are not part of the harness.
    if (p.startsWith('/api/') || p.includes('/public/')) return sendJson(res, 404, { message: 'not found' });
    if (p === '/') {
      res.writeHead(302, { Location: `/a/${id}/models` });
      res.end();
      return;
    }
    // Without the host bundle the shell would be a blank page; say what is missing instead.
    if (!fs.existsSync(path.join(options.hostDist, 'host.js'))) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        `The harness host bundle ${path.join(options.hostDist, 'host.js')} is not built: start the harness with \`npm run harness -w grafana-plugin\`, which builds it.\n`,
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(shell());
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRole: (r) => {
      role = r;
    },
    proxied,
    setDatasources: (list) => {
      datasources = [...list];
    },
    dsQueries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
