import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import * as ReactDOM from 'react-dom';
import * as ReactRouterDom from 'react-router-dom';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaSchema from '@grafana/schema';
import type { AppPlugin, AppPluginMeta } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { Alert, GlobalStyles, ThemeContext } from '@grafana/ui';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { installDefine, loadAmdModule, provide } from './amd';
import { createBackendSrv } from './backendSrv';
import { createDataSourceSrv } from './dataSourceSrv';

/**
 * A stand-in for the Grafana frontend: provides the shared modules a plugin's module.js
 * imports (the real packages, bundled here), the runtime services it calls, and mounts the
 * app's root page at /a/<id>/ and its config page at /plugins/<id>, as Grafana does.
 */
interface HarnessBoot {
  pluginId: string;
}
const harness = (window as unknown as { harnessBoot: HarnessBoot }).harnessBoot;

// @grafana/ui's GlobalStyles (themes/GlobalStyles/uPlot.ts) only override uPlot's base stylesheet,
// which Grafana's own CSS bundle carries: a plugin's charts rely on it being on the page.
const uplotStyle = document.createElement('style');
uplotStyle.textContent = uplotCss;
document.head.appendChild(uplotStyle);

provide('react', React);
provide('react-dom', ReactDOM);
provide('react-router-dom', ReactRouterDom);
provide('react-router', ReactRouterDom);
provide('rxjs', rxjs);
provide('rxjs/operators', rxjsOperators);
provide('@emotion/css', emotionCss);
provide('@grafana/data', grafanaData);
provide('@grafana/ui', grafanaUi);
provide('@grafana/runtime', grafanaRuntime);
provide('@grafana/schema', grafanaSchema);
installDefine();

setBackendSrv(createBackendSrv());
// The datasources the harness server put in bootData; with none, the plugin must degrade (no
// live metrics), not break.
setDataSourceSrv(createDataSourceSrv());

type Loaded = { plugin: AppPlugin; meta: AppPluginMeta } | { error: string };

async function loadPlugin(): Promise<Loaded> {
  try {
    const settingsRes = await fetch(`/api/plugins/${harness.pluginId}/settings`);
    const meta = (await settingsRes.json()) as AppPluginMeta;
    const exports = await loadAmdModule(`/public/plugins/${harness.pluginId}/module.js`);
    const plugin = exports.plugin as AppPlugin;
    plugin.meta = meta;
    plugin.init(meta);
    return { plugin, meta };
  } catch (err) {
    return { error: String(err) };
  }
}

function Shell() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    void loadPlugin().then(setLoaded);
  }, []);
  const user = config.bootData.user;
  return (
    <div style={{ padding: 16 }}>
      <nav style={{ display: 'flex', gap: 16, marginBottom: 16, alignItems: 'center' }}>
        <strong>Grafana harness</strong>
        <Link to={`/a/${harness.pluginId}/models`}>Models</Link>
        <Link to={`/a/${harness.pluginId}/audit`}>Audit log</Link>
        <Link to={`/plugins/${harness.pluginId}`}>Configuration</Link>
        <span data-testid="harness-user">
          {user.login} ({user.orgRole})
        </span>
      </nav>
      {!loaded && <p>Loading plugin…</p>}
      {loaded && 'error' in loaded && (
        <Alert severity="error" title="Plugin failed to load">
          {loaded.error}
        </Alert>
      )}
      {loaded && 'plugin' in loaded && <PluginRoutes plugin={loaded.plugin} meta={loaded.meta} />}
    </div>
  );
}

function PluginRoutes({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const Root = plugin.root;
  const configPage = plugin.configPages?.[0];
  const base = `/a/${meta.id}`;
  return (
    <Routes>
      {Root && <Route path={`${base}/*`} element={<Root meta={meta} basename={base} path={base} onNavChanged={() => {}} query={{}} />} />}
      {configPage && <Route path={`/plugins/${meta.id}`} element={<configPage.body plugin={plugin} query={{}} />} />}
      <Route path="*" element={<p>Not a plugin page.</p>} />
    </Routes>
  );
}

const root = createRoot(document.getElementById('root') as HTMLElement);
root.render(
  <ThemeContext.Provider value={config.theme2}>
    <GlobalStyles />
    <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Shell />
    </BrowserRouter>
  </ThemeContext.Provider>,
);
