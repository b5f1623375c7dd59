import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../constants';
import { installFakeBackend, PROXY, setDatasources, setOrgRole, type FakeBackend } from '../test/fakeBackend';
import { models, transitions, versions } from '../test/fixtures';
import { renderApp } from '../test/render';
import { typeInDialog } from '../test/dialog';

const F = `${PROXY}/models/fraud_detector`;
const C = `${PROXY}/models/churn_model`;

function registry(): FakeBackend {
  return installFakeBackend()
    .on('GET', F, { status: 200, data: models[0] })
    .on('GET', `${F}/versions`, { status: 200, data: { versions } })
    .on('GET', `${F}/transitions`, { status: 200, data: { transitions } })
    .on('GET', C, { status: 200, data: models[1] })
    .on('GET', `${C}/versions`, { status: 200, data: { versions: [] } })
    .on('GET', `${C}/transitions`, { status: 200, data: { transitions: [] } });
}

const retirement = (deleted: boolean) => ({
  model: 'churn_model',
  archived: !deleted,
  deleted,
  versions: [{ version: '2.0', stage: 'development' }],
  reason: 'replaced by churn_v2',
  actor: 'grafana:editor via token:grafana (abc)',
  at: '2026-01-05T00:00:00.000Z',
});

describe('archiving and deleting a model from its page', () => {
  beforeEach(() => setDatasources([]));

  it('shows a Viewer neither button', async () => {
    setOrgRole('Viewer');
    registry();
    renderApp('/a/modelwatch-app/models/churn_model');
    await screen.findByText(/need the Editor role/);
    expect(screen.queryByTestId(testIds.retire.archive)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.retire.delete)).not.toBeInTheDocument();
  });

  it('gives an Editor Archive (operator) but not Delete (the exporter’s admin action)', async () => {
    setOrgRole('Editor');
    registry();
    renderApp('/a/modelwatch-app/models/churn_model');
    expect(await screen.findByTestId(testIds.retire.archive)).toHaveTextContent('Archive model');
    expect(screen.queryByTestId(testIds.retire.delete)).not.toBeInTheDocument();
  });

  it('archives after a ConfirmModal naming the model, sending the reason', async () => {
    setOrgRole('Editor');
    const backend = registry().on('POST', `${C}/archive`, { status: 200, data: retirement(false) });
    renderApp('/a/modelwatch-app/models/churn_model');
    await userEvent.click(await screen.findByTestId(testIds.retire.archive));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Archive model churn_model?');
    expect(screen.getByTestId(testIds.retire.dialog)).toHaveTextContent('Every version of churn_model moves to archived');
    await typeInDialog(screen.getByTestId(testIds.retire.reason), 'replaced by churn_v2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Archive model' }));
    expect(await screen.findByTestId('mw-action-done')).toHaveTextContent('churn_model archived; versions archived: 2.0 (was development)');
    expect(backend.callsTo('POST', `${C}/archive`).map((c) => c.data)).toEqual([{ reason: 'replaced by churn_v2' }]);
    await waitFor(() => expect(backend.callsTo('GET', C)).toHaveLength(2));
  });

  it('sends nothing without a reason', async () => {
    setOrgRole('Editor');
    const backend = registry();
    renderApp('/a/modelwatch-app/models/churn_model');
    await userEvent.click(await screen.findByTestId(testIds.retire.archive));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Archive model' }));
    expect(await screen.findByText('A reason is required')).toBeInTheDocument();
    expect(backend.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('keeps the dialog open with the exporter’s 409 message while a version is in production', async () => {
    setOrgRole('Editor');
    const message = 'cannot archive fraud_detector: 1.1 is in production. Roll back, or move it out with allow_empty_production, first';
    registry().on('POST', `${F}/archive`, {
      status: 409,
      data: { code: 'MW_ERR_HAS_PRODUCTION', error: message, details: { production_version: '1.1' } },
    });
    renderApp('/a/modelwatch-app/models/fraud_detector');
    await userEvent.click(await screen.findByTestId(testIds.retire.archive));
    await typeInDialog(screen.getByTestId(testIds.retire.reason), 'retire it');
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Archive model' }));
    const alert = await screen.findByTestId(testIds.error);
    expect(alert).toHaveTextContent('HTTP 409');
    expect(alert).toHaveTextContent(message);
    expect(screen.getByTestId(testIds.retire.dialog)).toBeInTheDocument();
    expect(screen.queryByTestId('mw-action-done')).not.toBeInTheDocument();
  });

  it('lets an Admin delete once the model’s name is typed, then returns to the models list', async () => {
    setOrgRole('Admin');
    const backend = registry()
      .on('DELETE', C, { status: 200, data: retirement(true) })
      .on('GET', `${PROXY}/models`, { status: 200, data: { models: [models[0]] } });
    renderApp('/a/modelwatch-app/models/churn_model');
    await userEvent.click(await screen.findByTestId(testIds.retire.delete));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Delete model churn_model?');
    await typeInDialog(screen.getByTestId(testIds.retire.reason), 'created by mistake');
    const confirm = within(dialog).getByRole('button', { name: 'Delete model' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByPlaceholderText('Type "churn_model" to confirm'), 'churn_model');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await screen.findByTestId(testIds.models.page);
    expect(backend.callsTo('DELETE', C).map((c) => c.params)).toEqual([{ reason: 'created by mistake' }]);
  });

  it('says an archived model is archived and offers no Archive button', async () => {
    setOrgRole('Editor');
    installFakeBackend()
      .on('GET', C, { status: 200, data: { ...models[1], archived_at: '2026-01-05T00:00:00.000Z' } })
      .on('GET', `${C}/versions`, { status: 200, data: { versions: [] } })
      .on('GET', `${C}/transitions`, { status: 200, data: { transitions: [] } });
    renderApp('/a/modelwatch-app/models/churn_model');
    expect(await screen.findByTestId(testIds.retire.archivedNotice)).toHaveTextContent('churn_model is archived');
    expect(screen.queryByTestId(testIds.retire.archive)).not.toBeInTheDocument();
  });
});

describe('archived models in the models list', () => {
  beforeEach(() => {
    setOrgRole('Viewer');
    setDatasources([]);
  });

  it('are left out as the exporter leaves them out, and listed (marked) when shown', async () => {
    const archived = { ...models[1], archived_at: '2026-01-05T00:00:00.000Z' };
    const backend = installFakeBackend().on('GET', `${PROXY}/models`, (call) =>
      call.params.include_archived === 'true'
        ? { status: 200, data: { models: [models[0], archived] } }
        : { status: 200, data: { models: [models[0]] } },
    );
    renderApp('/a/modelwatch-app/models');
    await screen.findByTestId(testIds.models.row('fraud_detector'));
    expect(screen.queryByTestId(testIds.models.row('churn_model'))).not.toBeInTheDocument();
    expect(backend.callsTo('GET', `${PROXY}/models`)[0].params).toEqual({});
    await userEvent.click(screen.getByTestId(testIds.retire.showArchived));
    const row = await screen.findByTestId(testIds.models.row('churn_model'));
    expect(within(row).getByTestId(testIds.retire.archivedTag)).toHaveTextContent('(archived)');
    expect(within(screen.getByTestId(testIds.models.row('fraud_detector'))).queryByTestId(testIds.retire.archivedTag)).toBeNull();
    expect(backend.callsTo('GET', `${PROXY}/models`).at(-1)!.params).toEqual({ include_archived: 'true' });
  });
});
