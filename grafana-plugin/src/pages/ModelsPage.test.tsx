import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../constants';
import { installFakeBackend, PROXY, setDatasources, setOrgRole } from '../test/fakeBackend';
import { models } from '../test/fixtures';
import { appMeta, renderApp } from '../test/render';

function frame(model: string, value: number) {
  return {
    schema: {
      fields: [
        { name: 'Time', type: 'time' },
        { name: 'Value', type: 'number', labels: { model } },
      ],
    },
    data: { values: [[1700000000000], [value]] },
  };
}

describe('ModelsPage', () => {
  beforeEach(() => {
    setOrgRole('Viewer');
    setDatasources([]);
  });

  it('lists models with their production version and links to each model page', async () => {
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 200, data: { models } });
    renderApp('/a/modelwatch-app/models');
    // The test id is in each row's model cell (InteractiveTable renders the rows).
    const row = (await screen.findByTestId(testIds.models.row('fraud_detector'))).closest('tr')!;
    expect(within(row).getByText('1.1')).toBeInTheDocument();
    expect(within(row).getByText('production')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'fraud_detector' })).toHaveAttribute('href', '/a/modelwatch-app/models/fraud_detector');
    expect(
      within(screen.getByTestId(testIds.models.row('churn_model')).closest('tr')!).getByText('none in production'),
    ).toBeInTheDocument();
  });

  it('filters by name, team or description as the user types', async () => {
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 200, data: { models } });
    renderApp('/a/modelwatch-app/models');
    await screen.findByTestId(testIds.models.row('fraud_detector'));
    await userEvent.type(screen.getByTestId(testIds.models.search), 'growth');
    expect(screen.queryByTestId(testIds.models.row('fraud_detector'))).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.models.row('churn_model'))).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId(testIds.models.search));
    await userEvent.type(screen.getByTestId(testIds.models.search), 'nothing-like-this');
    expect(screen.getByText(/No model matches/)).toBeInTheDocument();
  });

  it('says why live metrics are missing when Grafana has no Prometheus datasource, and still lists models', async () => {
    const backend = installFakeBackend().on('GET', `${PROXY}/models`, { status: 200, data: { models } });
    renderApp('/a/modelwatch-app/models');
    expect(await screen.findByTestId(testIds.models.liveMetrics)).toHaveTextContent('No Prometheus datasource');
    expect(await screen.findByTestId(testIds.models.row('fraud_detector'))).toBeInTheDocument();
    expect(backend.callsTo('POST', '/api/ds/query')).toHaveLength(0);
  });

  it('shows live accuracy, traffic, errors and p95 latency queried through the Prometheus datasource', async () => {
    setDatasources([{ uid: 'prom-1', name: 'Prometheus', type: 'prometheus' }]);
    const backend = installFakeBackend()
      .on('GET', `${PROXY}/models`, { status: 200, data: { models } })
      .on('POST', '/api/ds/query', {
        status: 200,
        data: {
          results: {
            accuracy: { frames: [frame('fraud_detector', 0.913)] },
            predictionsPerSecond: { frames: [frame('fraud_detector', 12.5)] },
            errorRatio: { frames: [frame('fraud_detector', 0.0125)] },
            p95LatencySeconds: { frames: [frame('fraud_detector', 0.042)] },
          },
        },
      });
    renderApp('/a/modelwatch-app/models');
    // The test id is in each row's model cell (InteractiveTable renders the rows).
    const row = (await screen.findByTestId(testIds.models.row('fraud_detector'))).closest('tr')!;
    await waitFor(() => expect(within(row).getByText('91.3%')).toBeInTheDocument());
    expect(within(row).getByText('12.50')).toBeInTheDocument();
    expect(within(row).getByText('1.25%')).toBeInTheDocument();
    expect(within(row).getByText('42 ms')).toBeInTheDocument();
    const query = backend.callsTo('POST', '/api/ds/query')[0].data as { queries: Array<{ datasource: { uid: string }; expr: string }> };
    expect(query.queries.every((q) => q.datasource.uid === 'prom-1')).toBe(true);
    expect(query.queries.map((q) => q.expr).join(' ')).toContain('modelwatch_model_accuracy_ratio');
  });

  it('uses the datasource chosen on the config page and reports when it does not exist', async () => {
    setDatasources([{ uid: 'prom-1', name: 'Prometheus', type: 'prometheus' }]);
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 200, data: { models } });
    renderApp('/a/modelwatch-app/models', appMeta({ exporterUrl: 'http://x:9400', prometheusUid: 'gone' }));
    expect(await screen.findByTestId(testIds.models.liveMetrics)).toHaveTextContent('(gone) was not found');
  });

  it('shows a 401 from the exporter as an alert naming the token problem', async () => {
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 401, data: { error: 'invalid or revoked token' } });
    renderApp('/a/modelwatch-app/models');
    const alert = await screen.findByTestId(testIds.error);
    expect(alert).toHaveTextContent('The exporter rejected the token (HTTP 401)');
    expect(alert).toHaveTextContent('invalid or revoked token');
  });

  it('shows an unreachable exporter (Grafana proxy 502) as an alert, not a blank page', async () => {
    installFakeBackend().on('GET', `${PROXY}/models`, { status: 502, data: {} });
    renderApp('/a/modelwatch-app/models');
    expect(await screen.findByTestId(testIds.error)).toHaveTextContent('The exporter cannot be reached');
  });
});
