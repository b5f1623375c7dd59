import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { prefixRoute, ROUTES } from '../../constants';
import type { AppJsonData } from '../../types';
import { AuditPage } from '../../pages/AuditPage';
import { ModelPage } from '../../pages/ModelPage';
import { ModelsPage } from '../../pages/ModelsPage';
import { TransitionsPage } from '../../pages/TransitionsPage';
import { AppSettingsProvider } from './AppSettings';
import { NotConfigured } from './NotConfigured';

/** The app's root: Grafana mounts it at /a/<plugin-id>/ and the routes below are relative. */
export function App({ meta }: AppRootProps<AppJsonData>) {
  const settings = meta.jsonData ?? {};
  if (!settings.exporterUrl) return <NotConfigured />;
  return (
    <AppSettingsProvider settings={settings}>
      <Routes>
        <Route path={ROUTES.Models} element={<ModelsPage />} />
        <Route path={`${ROUTES.Models}/:model`} element={<ModelPage />} />
        <Route path={`${ROUTES.Models}/:model/transitions`} element={<TransitionsPage />} />
        <Route path={ROUTES.Audit} element={<AuditPage />} />
        <Route path="*" element={<Navigate to={prefixRoute(ROUTES.Models)} replace />} />
      </Routes>
    </AppSettingsProvider>
  );
}

export default App;
