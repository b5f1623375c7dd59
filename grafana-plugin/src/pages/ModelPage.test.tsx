import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../constants';
import { installFakeBackend, PROXY, setDatasources, setOrgRole, type FakeBackend } from '../test/fakeBackend';
import { models, transitions, versions } from '../test/fixtures';
import { renderApp } from '../test/render';
import { typeInDialog } from '../test/dialog';

const M = `${PROXY}/models/fraud_detector`;
const URL = '/a/modelwatch-app/models/fraud_detector';

function registry(): FakeBackend {
  return installFakeBackend()
    .on('GET', M, { status: 200, data: models[0] })
    .on('GET', `${M}/versions`, { status: 200, data: { versions } })
    .on('GET', `${M}/transitions`, { status: 200, data: { transitions } });
}

describe('ModelPage', () => {
  beforeEach(() => setDatasources([]));

  it('shows versions with stages, the production version, its validation metrics and lineage', async () => {
    setOrgRole('Viewer');
    registry();
    renderApp(URL);
    // The test id is in each row's first cell (InteractiveTable renders the rows).
    const prodRow = (await screen.findByTestId(testIds.model.versionRow('1.1'))).closest('tr')!;
    expect(within(prodRow).getByText('production')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.model.versionRow('1.0')).closest('tr')!).getByText('staging')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.model.metrics)).getByText('0.87')).toBeInTheDocument();
    const lineage = screen.getByTestId(testIds.model.lineage);
    expect(lineage).toHaveTextContent('transactions-1.1');
    expect(lineage).toHaveTextContent('s3://models/fraud_detector/1.1/model.pkl');
    expect(lineage).toHaveTextContent('max_depth = 6');
    expect(lineage).toHaveTextContent('Parent version1.0');
  });

  it('switches the details to another version on click', async () => {
    setOrgRole('Viewer');
    registry();
    renderApp(URL);
    await screen.findByTestId(testIds.model.versionRow('1.2'));
    await userEvent.click(screen.getByRole('button', { name: 'Show details of 1.2' }));
    expect(screen.getByTestId(testIds.model.lineage)).toHaveTextContent('transactions-1.2');
    expect(within(screen.getByTestId(testIds.model.metrics)).getByText('60')).toBeInTheDocument();
  });

  it('shows the recent transitions with actor and reason', async () => {
    setOrgRole('Viewer');
    registry();
    renderApp(URL);
    const timeline = await screen.findByTestId(testIds.transitions.timeline);
    expect(timeline).toHaveTextContent('by alertmanager');
    expect(timeline).toHaveTextContent('accuracy dropped');
    expect(within(timeline).getByText('rollback (alert)')).toBeInTheDocument();
  });

  it('shows no action buttons to a Viewer', async () => {
    setOrgRole('Viewer');
    registry();
    renderApp(URL);
    await screen.findByTestId(testIds.model.versionRow('1.1'));
    expect(screen.queryByTestId(testIds.model.rollback)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.model.promote('1.0'))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.model.archive('1.0'))).not.toBeInTheDocument();
    expect(screen.getByText(/need the Editor role/)).toBeInTheDocument();
  });

  it('gives an Editor rollback, promote and archive buttons', async () => {
    setOrgRole('Editor');
    registry();
    renderApp(URL);
    expect(await screen.findByTestId(testIds.model.rollback)).toHaveTextContent('Roll back 1.1');
    expect(screen.getByTestId(testIds.model.promote('1.0'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.model.archive('1.2'))).toBeInTheDocument();
  });

  it('promotes with the chosen stage and reason, then reloads the versions', async () => {
    setOrgRole('Admin');
    const backend = registry().on('POST', `${M}/versions/1.0/transitions`, { status: 200, data: { from: 'staging', to: 'production' } });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.promote('1.0')));
    const dialog = screen.getByTestId(testIds.promote.dialog);
    await userEvent.click(within(dialog).getByLabelText('production'));
    await typeInDialog(screen.getByTestId(testIds.promote.reason), 'better recall');
    await userEvent.click(screen.getByTestId(testIds.promote.submit));
    expect(await screen.findByTestId('mw-action-done')).toHaveTextContent('fraud_detector 1.0 moved to production');
    expect(backend.callsTo('POST', `${M}/versions/1.0/transitions`)[0].data).toEqual({ to: 'production', reason: 'better recall' });
    await waitFor(() => expect(backend.callsTo('GET', `${M}/versions`)).toHaveLength(2));
  });

  it('refuses to send a promotion without a reason', async () => {
    setOrgRole('Editor');
    const backend = registry();
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.promote('1.0')));
    await userEvent.click(screen.getByTestId(testIds.promote.submit));
    expect(screen.getByText('A reason is required')).toBeInTheDocument();
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('lists every failed gate of a 422, item by item, and keeps the dialog open', async () => {
    setOrgRole('Editor');
    registry().on('POST', `${M}/versions/1.0/transitions`, {
      status: 422,
      data: {
        code: 'MW_ERR_GATE_FAILED',
        error: 'fraud_detector 1.0 fails 2 production gates: accuracy 0.82 < 0.85; latency_ms 45 > 40',
        details: [
          { gate: 'max_latency_ms', metric: 'latency_ms', required: 40, actual: 45 },
          { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 },
        ],
      },
    });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.promote('1.0')));
    await userEvent.click(within(screen.getByTestId(testIds.promote.dialog)).getByLabelText('production'));
    await typeInDialog(screen.getByTestId(testIds.promote.reason), 'ship it');
    await userEvent.click(screen.getByTestId(testIds.promote.submit));
    const list = await screen.findByTestId(testIds.promote.gateFailures);
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('max_latency_ms latency_ms: 45 — needs at most 40');
    expect(items[1]).toHaveTextContent('min_accuracy accuracy: 0.82 — needs at least 0.85');
    expect(screen.getByTestId(testIds.error)).toHaveTextContent('Refused by the quality gates (HTTP 422)');
    expect(screen.getByTestId(testIds.promote.dialog)).toBeInTheDocument();
  });

  it('rolls back after a confirmation naming both versions, sending from_version', async () => {
    setOrgRole('Editor');
    const backend = registry().on('POST', `${M}/rollback`, {
      status: 200,
      data: { model: 'fraud_detector', from_version: '1.1', to_version: '0.9' },
    });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.rollback));
    const dialog = screen.getByTestId(testIds.rollback.dialog);
    expect(dialog).toHaveTextContent('fraud_detector 0.9 returns to production and fraud_detector 1.1 is archived');
    await typeInDialog(screen.getByTestId(testIds.rollback.reason), 'accuracy alert');
    await userEvent.click(screen.getByTestId(testIds.rollback.confirm));
    expect(await screen.findByTestId('mw-action-done')).toHaveTextContent('0.9 is in production, 1.1 archived');
    expect(backend.callsTo('POST', `${M}/rollback`)[0].data).toEqual({ reason: 'accuracy alert', from_version: '1.1' });
  });

  it('shows a 409 (nothing to roll back to) in the dialog', async () => {
    setOrgRole('Editor');
    registry().on('POST', `${M}/rollback`, { status: 409, data: { error: 'fraud_detector has no previous production version' } });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.rollback));
    await typeInDialog(screen.getByTestId(testIds.rollback.reason), 'try');
    await userEvent.click(screen.getByTestId(testIds.rollback.confirm));
    const alert = await screen.findByTestId(testIds.error);
    expect(alert).toHaveTextContent('HTTP 409');
    expect(alert).toHaveTextContent('no previous production version');
  });

  it('archives a version as a transition to archived', async () => {
    setOrgRole('Editor');
    const backend = registry().on('POST', `${M}/versions/1.2/transitions`, { status: 200, data: {} });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.archive('1.2')));
    await typeInDialog(screen.getByLabelText('Archive reason'), 'superseded');
    await userEvent.click(screen.getByTestId(testIds.archive.confirm));
    expect(await screen.findByTestId('mw-action-done')).toHaveTextContent('fraud_detector 1.2 archived');
    expect(backend.callsTo('POST', `${M}/versions/1.2/transitions`)[0].data).toEqual({ to: 'archived', reason: 'superseded' });
  });

  it('shows a 403 from the exporter (token role too low) in the dialog', async () => {
    setOrgRole('Editor');
    registry().on('POST', `${M}/versions/1.2/transitions`, {
      status: 403,
      data: { error: 'this action needs role operator; the token has viewer' },
    });
    renderApp(URL);
    await userEvent.click(await screen.findByTestId(testIds.model.archive('1.2')));
    await typeInDialog(screen.getByLabelText('Archive reason'), 'x');
    await userEvent.click(screen.getByTestId(testIds.archive.confirm));
    const alert = await screen.findByTestId(testIds.error);
    expect(alert).toHaveTextContent('Not allowed (HTTP 403)');
    expect(alert).toHaveTextContent('needs role operator');
  });

  it('shows an unknown model (404) as an alert', async () => {
    setOrgRole('Viewer');
    installFakeBackend().on('GET', `${PROXY}/models/nope`, { status: 404, data: { error: 'model nope not found' } });
    renderApp('/a/modelwatch-app/models/nope');
    expect(await screen.findByTestId(testIds.error)).toHaveTextContent('model nope not found');
  });

  it('shows a network failure as an alert', async () => {
    setOrgRole('Viewer');
    installFakeBackend().on('GET', M, { status: 0 }).on('GET', `${M}/versions`, { status: 0 }).on('GET', `${M}/transitions`, { status: 0 });
    renderApp(URL);
    expect(await screen.findByTestId(testIds.error)).toHaveTextContent('The request failed');
  });
});
