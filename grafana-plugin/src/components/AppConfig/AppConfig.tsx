import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { toApiError, type ApiError } from '../../api/errors';
import { testIds } from '../../constants';
import type { AppJsonData, AppSecureJsonData } from '../../types';
import { pageReload } from './pageReload';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

interface SettingsUpdate {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppJsonData;
  /** Sent only when a new token was typed; Grafana keeps the stored one otherwise. */
  secureJsonData?: AppSecureJsonData;
}

export async function saveSettings(pluginId: string, update: SettingsUpdate): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data: update, showErrorAlert: false }),
  );
}

function validUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Where an admin points the app at the exporter. The token goes to secureJsonData: Grafana
 * encrypts it and only ever tells the browser *whether* it is set, so this page shows
 * "configured" with a reset button and never the token itself.
 */
export function AppConfig({ plugin }: AppConfigProps) {
  const meta: PluginMeta<AppJsonData> = plugin.meta;
  const [exporterUrl, setExporterUrl] = useState(meta.jsonData?.exporterUrl ?? '');
  const [prometheusUid, setPrometheusUid] = useState(meta.jsonData?.prometheusUid ?? '');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(meta.secureJsonFields?.exporterToken));
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const urlInvalid = exporterUrl !== '' && !validUrl(exporterUrl);
  const canSave = validUrl(exporterUrl) && (tokenSet || token.length > 0) && !saving;

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await saveSettings(meta.id, {
        enabled: true,
        pinned: true,
        jsonData: { exporterUrl: exporterUrl.replace(/\/+$/, ''), ...(prometheusUid ? { prometheusUid } : {}) },
        ...(tokenSet ? {} : { secureJsonData: { exporterToken: token } }),
      });
      // Grafana re-reads plugin settings on load; a reload is how app plugins apply them.
      pageReload.reload();
    } catch (err) {
      setError(toApiError(err));
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <FieldSet label="Exporter">
        <Field
          label="Exporter URL"
          description="As Grafana's server reaches it (e.g. http://modelwatch-exporter:9400). Requests go through Grafana's plugin proxy."
          invalid={urlInvalid}
          error={urlInvalid ? 'Enter an http:// or https:// URL' : undefined}
        >
          <Input
            data-testid={testIds.config.url}
            width={60}
            value={exporterUrl}
            placeholder="http://localhost:9400"
            onChange={(e) => setExporterUrl(e.currentTarget.value.trim())}
          />
        </Field>
        <Field
          label="Exporter token"
          description="A modelwatch token with role operator (to promote and roll back) or viewer (read only). Stored encrypted by Grafana."
        >
          <div data-testid={tokenSet ? testIds.config.tokenConfigured : undefined}>
            <SecretInput
              data-testid={testIds.config.token}
              width={60}
              isConfigured={tokenSet}
              value={token}
              placeholder="Paste a token"
              onChange={(e) => setToken(e.currentTarget.value.trim())}
              onReset={() => {
                setToken('');
                setTokenSet(false);
              }}
            />
          </div>
        </Field>
        <Field
          label="Prometheus datasource (optional)"
          description="Scrapes the exporter; used for the models list's health and live numbers and the model page's charts. Cleared: the first Prometheus datasource."
        >
          <div data-testid={testIds.config.prometheus}>
            <DataSourcePicker
              pluginId="prometheus"
              current={prometheusUid || null}
              noDefault
              width={60}
              onChange={(ds) => setPrometheusUid(ds.uid)}
              onClear={() => setPrometheusUid('')}
            />
          </div>
        </Field>
      </FieldSet>
      {error && (
        <Alert severity="error" title="Saving the settings failed">
          {error.message}
        </Alert>
      )}
      <Button type="submit" data-testid={testIds.config.save} disabled={!canSave}>
        Save settings
      </Button>
    </form>
  );
}
