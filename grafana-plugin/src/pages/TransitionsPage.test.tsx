import { screen, within } from '@testing-library/react';
import { testIds } from '../constants';
import { installFakeBackend, PROXY, setOrgRole } from '../test/fakeBackend';
import { transitions } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('TransitionsPage', () => {
  beforeEach(() => setOrgRole('Viewer'));

  it('shows every transition newest first with actor and reason', async () => {
    installFakeBackend().on('GET', `${PROXY}/models/fraud_detector/transitions`, { status: 200, data: { transitions } });
    renderApp('/a/modelwatch-app/models/fraud_detector/transitions');
    const items = await screen.findAllByTestId(testIds.transitions.item);
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('0.9production → archived');
    expect(within(items[0]).getByText('rollback (alert)')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('by alice');
    expect(items[2]).toHaveTextContent('offline validation passed');
  });

  it('links back to the model page', async () => {
    installFakeBackend().on('GET', `${PROXY}/models/fraud_detector/transitions`, { status: 200, data: { transitions: [] } });
    renderApp('/a/modelwatch-app/models/fraud_detector/transitions');
    expect(await screen.findByText('No stage transitions recorded yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '← fraud_detector' })).toHaveAttribute('href', '/a/modelwatch-app/models/fraud_detector');
  });
});
