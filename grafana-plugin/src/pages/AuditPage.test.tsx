import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../constants';
import { installFakeBackend, PROXY, setOrgRole } from '../test/fakeBackend';
import { auditEntries } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('AuditPage', () => {
  beforeEach(() => setOrgRole('Viewer'));

  it('shows that the chain verifies and lists entries newest first', async () => {
    installFakeBackend()
      .on('GET', `${PROXY}/audit/verify`, { status: 200, data: { ok: true, entries: 2 } })
      .on('GET', `${PROXY}/audit`, { status: 200, data: { entries: [...auditEntries].reverse(), next_before: null } });
    renderApp('/a/modelwatch-app/audit');
    expect(await screen.findByTestId(testIds.audit.verify)).toHaveTextContent('Audit chain verified');
    expect(screen.getByTestId(testIds.audit.verify)).toHaveTextContent('2 entries checked');
    // The test id is in each row's first cell (InteractiveTable renders the rows).
    const rows = (await screen.findAllByTestId(testIds.audit.row)).map((cell) => cell.closest('tr')!);
    expect(rows.map((r) => r.firstElementChild?.textContent)).toEqual(['2', '1']);
    expect(rows[0]).toHaveTextContent('version.transition');
    expect(rows[0]).toHaveTextContent('beats 1.0');
  });

  it('shows a broken chain with the entry the exporter names', async () => {
    installFakeBackend()
      .on('GET', `${PROXY}/audit/verify`, {
        status: 200,
        data: { ok: false, entries: 2, first_broken_id: 2, problem: 'hash mismatch', error: 'audit entry 2: hash mismatch' },
      })
      .on('GET', `${PROXY}/audit`, { status: 200, data: { entries: auditEntries, next_before: null } });
    renderApp('/a/modelwatch-app/audit');
    const status = await screen.findByTestId(testIds.audit.verify);
    expect(status).toHaveTextContent('Audit chain does NOT verify');
    expect(status).toHaveTextContent('audit entry 2: hash mismatch');
  });

  it('filters by model through the exporter query', async () => {
    const backend = installFakeBackend()
      .on('GET', `${PROXY}/audit/verify`, { status: 200, data: { ok: true, entries: 2 } })
      .on('GET', `${PROXY}/audit`, (call) => ({ status: 200, data: { entries: call.params.model ? [auditEntries[0]] : auditEntries } }));
    renderApp('/a/modelwatch-app/audit');
    await screen.findAllByTestId(testIds.audit.row);
    await userEvent.type(screen.getByLabelText('Filter by model'), 'fraud_detector{Enter}');
    await waitFor(() => expect(screen.getAllByTestId(testIds.audit.row)).toHaveLength(1));
    expect(backend.callsTo('GET', `${PROXY}/audit`).at(-1)?.params).toEqual({ model: 'fraud_detector', limit: 200 });
  });

  it('refuses a filter the exporter name rule refuses, naming the rule, without asking the exporter', async () => {
    const backend = installFakeBackend()
      .on('GET', `${PROXY}/audit/verify`, { status: 200, data: { ok: true, entries: 2 } })
      .on('GET', `${PROXY}/audit`, { status: 200, data: { entries: auditEntries, next_before: null } });
    renderApp('/a/modelwatch-app/audit');
    await screen.findAllByTestId(testIds.audit.row);
    const calls = backend.callsTo('GET', `${PROXY}/audit`).length;
    await userEvent.type(screen.getByLabelText('Filter by model'), 'fraud/scorer{Enter}');
    expect(await screen.findByText(/Not a valid model name: a name is 1-128 characters/)).toBeInTheDocument();
    expect(backend.callsTo('GET', `${PROXY}/audit`)).toHaveLength(calls);
    await userEvent.clear(screen.getByLabelText('Filter by model'));
    await userEvent.type(screen.getByLabelText('Filter by model'), 'fraud_scorer{Enter}');
    await waitFor(() => expect(backend.callsTo('GET', `${PROXY}/audit`).at(-1)?.params).toEqual({ model: 'fraud_scorer', limit: 200 }));
  });

  it('shows a 403 as an alert', async () => {
    installFakeBackend()
      .on('GET', `${PROXY}/audit/verify`, { status: 403, data: { error: 'this action needs role viewer' } })
      .on('GET', `${PROXY}/audit`, { status: 403, data: { error: 'this action needs role viewer' } });
    renderApp('/a/modelwatch-app/audit');
    const alerts = await screen.findAllByTestId(testIds.error);
    expect(alerts[0]).toHaveTextContent('Not allowed (HTTP 403)');
  });
});
