import { screen } from '@testing-library/react';
import { testIds } from '../../constants';
import { installFakeBackend, PROXY, setDatasources, setOrgRole } from '../../test/fakeBackend';
import { appMeta, renderApp } from '../../test/render';

describe('App', () => {
  beforeEach(() => {
    setOrgRole('Viewer');
    setDatasources([]);
  });

  it('asks for configuration instead of calling an exporter that has no URL', async () => {
    const backend = installFakeBackend();
    renderApp('/a/modelwatch-app/models', appMeta({}, false));
    expect(screen.getByTestId('mw-not-configured')).toHaveTextContent('not configured yet');
    expect(screen.getByRole('link', { name: /Open configuration/ })).toHaveAttribute('href', '/plugins/modelwatch-app');
    expect(backend.calls).toHaveLength(0);
  });

  it('sends unknown paths to the models list', async () => {
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 200, data: { models: [] } });
    renderApp('/a/modelwatch-app/nowhere');
    expect(await screen.findByTestId(testIds.models.page)).toBeInTheDocument();
    expect(await screen.findByText('No models are registered yet.')).toBeInTheDocument();
  });
});
