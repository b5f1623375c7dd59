import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, toApiError } from '../../api/errors';
import { testIds } from '../../constants';
import { ApiErrorAlert } from './ApiErrorAlert';

const fetchError = (status: number, data: unknown) => ({ status, data, config: { url: '/x' } });

describe('toApiError', () => {
  it.each([
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [409, 'conflict'],
    [422, 'refused'],
    [400, 'invalid'],
    [502, 'unreachable'],
    [500, 'server'],
  ])('maps HTTP %i to %s and keeps the exporter message', (status, kind) => {
    const err = toApiError(fetchError(status, { error: `exporter says ${status}` }));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    if (status !== 502) expect(err.message).toContain(`exporter says ${status}`);
  });

  it('reads no gate failures from a 422 that is not a gate refusal (e.g. a version that cannot be tracked)', () => {
    const err = toApiError(
      fetchError(422, { code: 'MW_ERR_UNPROCESSABLE', error: 'too many features', details: [{ path: 'features', message: 'at most 50' }] }),
    );
    expect(err.gateFailures).toEqual([]);
    expect(err.message).toBe('too many features');
    expect([err.kind, err.title]).toEqual(['refused', 'Refused by a rule or limit of the exporter']);
  });

  it('titles a 422 with a GateRefusal body as a gate refusal', () => {
    const err = toApiError(
      fetchError(422, {
        code: 'MW_ERR_GATE_FAILED',
        error: 'fails 1 gate',
        details: [{ gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 }],
      }),
    );
    expect([err.kind, err.title]).toEqual(['gates', 'Refused by the quality gates']);
  });

  it('shows a refused 422 that is not a gate refusal under its own title, with no gate list', () => {
    render(
      <ApiErrorAlert
        error={toApiError(fetchError(422, { code: 'MW_ERR_UNPROCESSABLE', error: 'at most 20 webhooks; delete one first' }))}
      />,
    );
    const alert = screen.getByTestId(testIds.error);
    expect(alert).toHaveTextContent('Refused by a rule or limit of the exporter (HTTP 422)');
    expect(alert).not.toHaveTextContent('quality gates');
    expect(screen.queryByTestId(testIds.promote.gateFailures)).toBeNull();
  });

  it('reads every gate failure of a 422', () => {
    const err = toApiError(
      fetchError(422, {
        code: 'MW_ERR_GATE_FAILED',
        error: 'fails',
        details: [
          { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 },
          { gate: 'max_latency_ms', metric: 'latency_ms', required: 50, actual: null },
        ],
      }),
    );
    expect(err.gateFailures).toEqual([
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 },
      { gate: 'max_latency_ms', metric: 'latency_ms', required: 50, actual: null },
    ]);
  });

  it('treats a thrown non-HTTP error as a failed request', () => {
    const err = toApiError(new TypeError('Failed to fetch'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe('Failed to fetch');
  });
});

describe('ApiErrorAlert', () => {
  it('shows title, status, message and each gate failure', () => {
    const err = new ApiError('gates', 'Refused by the quality gates', 'fails 1 gate', 422, [
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 },
    ]);
    render(<ApiErrorAlert error={err} />);
    const alert = screen.getByTestId(testIds.error);
    expect(alert).toHaveTextContent('Refused by the quality gates (HTTP 422)');
    expect(alert).toHaveTextContent('fails 1 gate');
    expect(within(screen.getByTestId(testIds.promote.gateFailures)).getByText(/accuracy: 0.82 — needs at least 0.85/)).toBeInTheDocument();
  });

  it('names a metric the version never recorded', () => {
    const err = new ApiError('gates', 'Refused', 'x', 422, [{ gate: 'max_latency_ms', metric: 'latency_ms', required: 50, actual: null }]);
    render(<ApiErrorAlert error={err} />);
    expect(screen.getByText(/latency_ms: not recorded for this version \(needs at most 50\)/)).toBeInTheDocument();
  });

  it('offers a retry when given one', async () => {
    const retry = jest.fn();
    render(<ApiErrorAlert error={new ApiError('server', 'Boom', 'x', 500)} onRetry={retry} />);
    await userEvent.click(screen.getByRole('button', { name: /Retry/ }));
    expect(retry).toHaveBeenCalledTimes(1);
  });
});
