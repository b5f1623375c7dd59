import React from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { PluginType, type AppPluginMeta } from '@grafana/data';
import { App } from '../components/App/App';
import type { AppJsonData } from '../types';

export function appMeta(jsonData: AppJsonData = { exporterUrl: 'http://exporter:9400' }, tokenSet = true): AppPluginMeta<AppJsonData> {
  return {
    id: 'modelwatch-app',
    name: 'modelwatch',
    type: PluginType.app,
    enabled: true,
    jsonData,
    secureJsonFields: tokenSet ? { exporterToken: true } : {},
    info: {} as AppPluginMeta['info'],
    module: '',
    baseUrl: '',
  } as AppPluginMeta<AppJsonData>;
}

/** Mounts the whole app at a URL the way Grafana does: under /a/<id>/ with relative routes. */
export function renderApp(url: string, meta = appMeta()) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route
          path="/a/modelwatch-app/*"
          element={<App meta={meta} basename="/a/modelwatch-app" path="/a/modelwatch-app" onNavChanged={() => {}} query={{}} />}
        />
      </Routes>
    </MemoryRouter>,
  );
}
