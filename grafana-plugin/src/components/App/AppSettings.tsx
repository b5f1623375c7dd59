import React, { createContext, useContext } from 'react';
import type { AppJsonData } from '../../types';

/** The app's jsonData (never secureJsonData: Grafana does not send that to browsers). */
const AppSettingsContext = createContext<AppJsonData>({});

export function AppSettingsProvider({ settings, children }: { settings: AppJsonData; children: React.ReactNode }) {
  return <AppSettingsContext.Provider value={settings}>{children}</AppSettingsContext.Provider>;
}

export function useAppSettings(): AppJsonData {
  return useContext(AppSettingsContext);
}
