import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import schema from './plugin-json.schema.json';
import { EXPORTER_ROUTE, MODEL_PAGE_URL_PATTERN, PLUGIN_ID } from '../src/constants';

const pluginJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'src', 'plugin.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('src/plugin.json', () => {
  it('is valid against the plugin.json schema', () => {
    const valid = validate(pluginJson);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('claims no Grafana older than the @grafana packages the build and the harness use (issue 16)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const built = /^(\d+)\.(\d+)\./.exec(pkg.dependencies['@grafana/ui'])!;
    const claimed = /^>=(\d+)\.(\d+)\.\d+$/.exec(pluginJson.dependencies.grafanaDependency);
    expect(claimed?.slice(1, 3)).toEqual(built.slice(1, 3));
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`Grafana ${built[1]}.${built[2]} and later`);
  });

  it('the schema rejects what Grafana would reject', () => {
    expect(validate({ ...pluginJson, id: 'ModelWatch' })).toBe(false);
    expect(validate({ ...pluginJson, type: 'application' })).toBe(false);
    expect(validate({ ...pluginJson, routes: [{ path: 'x', url: 'y', reqRole: 'Owner' }] })).toBe(false);
    const { info: _info, ...noInfo } = pluginJson;
    expect(validate(noInfo)).toBe(false);
  });

  it('is an app whose pages live under /a/<id>/ and whose id the code uses', () => {
    expect(pluginJson.type).toBe('app');
    expect(pluginJson.id).toBe(PLUGIN_ID);
    for (const page of pluginJson.includes.filter(
      (i: { type: string; path: string }) => i.type === 'page' && !i.path.startsWith('/plugins/'),
    )) {
      expect(page.path.startsWith(`/a/${PLUGIN_ID}/`)).toBe(true);
    }
    expect(MODEL_PAGE_URL_PATTERN).toBe(`/a/${PLUGIN_ID}/models/:model`);
  });

  it('proxies to the exporter URL with the token only from secureJsonData, reads for Viewers, writes for Editors, deletes for Admins', () => {
    const routes = pluginJson.routes as Array<{
      path: string;
      method: string;
      reqRole: string;
      url: string;
      headers: Array<{ name: string; content: string }>;
    }>;
    expect(routes.map((r) => [r.path, r.method, r.reqRole])).toEqual([
      // Grafana matches route paths as router patterns: a static `exporter` would match only
      // the bare path, never exporter/api/v1/... (pkg/api/pluginproxy/pluginproxy_test.go).
      [`${EXPORTER_ROUTE}/*`, 'GET', 'Viewer'],
      [`${EXPORTER_ROUTE}/*`, 'POST', 'Editor'],
      // Deleting a model is the exporter's admin action: only Grafana Admins reach it.
      [`${EXPORTER_ROUTE}/*`, 'DELETE', 'Admin'],
    ]);
    for (const r of routes) {
      expect(r.url).toBe('{{ .JsonData.exporterUrl }}');
      expect(r.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.exporterToken }}' }]);
    }
  });
});
