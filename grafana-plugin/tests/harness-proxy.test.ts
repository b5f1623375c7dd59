import { fillTemplate, matchRoute, proxyTarget, roleAllows, userHeader, type PluginRoute } from '../harness/pluginProxy';

/**
 * The harness's plugin proxy against the cases Grafana's own tests state
 * (grafana/grafana pkg/api/pluginproxy/pluginproxy_test.go `TestPluginProxyRoutes`: routes in
 * order, static paths exact, `prefix/*` takes the rest) and proxyutil.go `ApplyUserHeader`.
 */
describe('harness plugin proxy follows Grafana', () => {
  const routes: PluginRoute[] = [
    { path: '', method: 'GET', url: 'http://localhost' },
    { path: 'some-api', method: 'GET', url: 'http://localhost/api' },
    { path: 'some-api/instances', method: 'GET', url: 'http://localhost/api/instances/' },
    { path: 'some-api/*', method: 'GET', url: 'http://localhost/api' },
    { path: 'some-api/instances/*', method: 'GET', url: 'http://localhost/api/instances' },
    { path: 'some-other-api/*', method: 'GET', url: 'http://localhost/api/v2' },
    { path: 'some-other-api/instances/*', method: 'GET', url: 'http://localhost/api/v2/instances' },
  ];
  const settings = { jsonData: {}, secureJsonData: {} };
  const target = (proxyPath: string) => {
    const m = matchRoute(routes, proxyPath, 'GET');
    return m ? new URL(proxyTarget(m, '', settings).url).pathname : null;
  };

  it('matches the table of TestPluginProxyRoutes', () => {
    expect(target('/notexists')).toBeNull();
    expect(target('/')).toBe('/');
    expect(target('/some-api')).toBe('/api');
    expect(target('/some-api/instances')).toBe('/api/instances/');
    expect(target('/some-api/some/thing')).toBe('/api/some/thing');
    expect(target('/some-api/instances/instance-one')).toBe('/api/instances/instance-one');
    expect(target('/some-other-api/some/thing')).toBe('/api/v2/some/thing');
    expect(target('/some-other-api/instances/instance-one')).toBe('/api/v2/instances/instance-one');
  });

  it('a static path never matches a deeper path; methods other than "" and "*" must be equal', () => {
    expect(matchRoute([{ path: 'exporter', url: 'http://x' }], '/exporter/api/v1/models', 'GET')).toBeNull();
    expect(matchRoute([{ path: 'exporter/*', method: 'POST', url: 'http://x' }], '/exporter/api', 'GET')).toBeNull();
    expect(matchRoute([{ path: 'exporter/*', method: '*', url: 'http://x' }], '/exporter/api', 'DELETE')?.rest).toBe('api');
  });

  it('checks reqRole by org role order and leaves routes without a valid role open', () => {
    expect(roleAllows('Viewer', 'Editor')).toBe(false);
    expect(roleAllows('Admin', 'Editor')).toBe(true);
    expect(roleAllows('Viewer', undefined)).toBe(true);
  });

  it('fills templates as Go text/template does over jsonData and secureJsonData', () => {
    const s = { jsonData: { exporterUrl: 'http://e:9400' }, secureJsonData: { exporterToken: 't' } };
    expect(fillTemplate('{{ .JsonData.exporterUrl }}', s)).toBe('http://e:9400');
    expect(fillTemplate('Bearer {{ .SecureJsonData.exporterToken }}', s)).toBe('Bearer t');
    expect(fillTemplate('{{ .JsonData.missing }}', s)).toBe('<no value>');
    expect(fillTemplate('{{ .SecureJsonData.missing }}', s)).toBe('');
  });

  it('sends X-Grafana-User with the login only when send_user_header is on', () => {
    expect(userHeader(true, 'editor')).toEqual({ 'X-Grafana-User': 'editor' });
    expect(userHeader(false, 'editor')).toEqual({});
    expect(userHeader(true, undefined)).toEqual({});
  });
});
