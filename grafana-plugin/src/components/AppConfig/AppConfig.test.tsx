import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppPlugin } from '@grafana/data';
import { testIds } from '../../constants';
import { installFakeBackend, setDatasources } from '../../test/fakeBackend';
import { appMeta } from '../../test/render';
import type { AppJsonData } from '../../types';
import { AppConfig } from './AppConfig';
import { pageReload } from './pageReload';

const SETTINGS = '/api/plugins/modelwatch-app/settings';

function renderConfig(meta = appMeta()) {
  const plugin = new AppPlugin<AppJsonData>();
  plugin.meta = meta;
  return render(<AppConfig plugin={plugin} query={{}} />);
}

describe('AppConfig', () => {
  let reload: jest.SpyInstance;
  beforeEach(() => {
    setDatasources([]);
    reload = jest.spyOn(pageReload, 'reload').mockImplementation(() => {});
  });
  afterEach(() => reload.mockRestore());

  it('shows a stored token only as "configured", never its value', () => {
    renderConfig();
    expect(screen.getByTestId(testIds.config.url)).toHaveValue('http://exporter:9400');
    const token = screen.getByTestId(testIds.config.token);
    expect(token).toHaveValue('configured');
    expect(token).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reset' })).toBeInTheDocument();
  });

  it('keeps the stored token when saving other settings (no secureJsonData sent)', async () => {
    const backend = installFakeBackend().on('POST', SETTINGS, { status: 200, data: {} });
    setDatasources([
      { uid: 'loki-uid', name: 'Loki', type: 'loki' },
      { uid: 'prom-uid', name: 'Prometheus EU', type: 'prometheus' },
    ]);
    renderConfig();
    // Grafana's datasource picker lists only Prometheus datasources.
    await userEvent.click(screen.getByLabelText('Select a data source'));
    expect(screen.queryByText('Loki')).not.toBeInTheDocument();
    await userEvent.click(await screen.findByText('Prometheus EU'));
    await userEvent.click(screen.getByTestId(testIds.config.save));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(backend.callsTo('POST', SETTINGS)[0].data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { exporterUrl: 'http://exporter:9400', prometheusUid: 'prom-uid' },
    });
  });

  it('sends a new token in secureJsonData after a reset', async () => {
    const backend = installFakeBackend().on('POST', SETTINGS, { status: 200, data: {} });
    renderConfig();
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(screen.getByTestId(testIds.config.save)).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.config.token), 'new-operator-token');
    await userEvent.click(screen.getByTestId(testIds.config.save));
    await waitFor(() => expect(backend.callsTo('POST', SETTINGS)).toHaveLength(1));
    expect(backend.callsTo('POST', SETTINGS)[0].data).toMatchObject({ secureJsonData: { exporterToken: 'new-operator-token' } });
  });

  it('rejects a URL that is not http(s) and does not save', async () => {
    const backend = installFakeBackend();
    renderConfig(appMeta({}, false));
    await userEvent.type(screen.getByTestId(testIds.config.url), 'exporter:9400');
    await userEvent.type(screen.getByTestId(testIds.config.token), 't');
    expect(screen.getByText('Enter an http:// or https:// URL')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.config.save)).toBeDisabled();
    expect(backend.calls).toHaveLength(0);
  });

  it('shows a failed save as an alert', async () => {
    installFakeBackend().on('POST', SETTINGS, { status: 403, data: { message: 'Permission denied' } });
    renderConfig();
    await userEvent.click(screen.getByTestId(testIds.config.save));
    expect(await screen.findByText('Saving the settings failed')).toBeInTheDocument();
    expect(screen.getByText('Permission denied')).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });
});
