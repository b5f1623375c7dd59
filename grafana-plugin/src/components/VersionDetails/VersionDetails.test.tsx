import React from 'react';
import { render, screen } from '@testing-library/react';
import { toVersion } from '../../api/normalize';
import { testIds } from '../../constants';
import { versions } from '../../test/fixtures';
import { VersionDetails } from './VersionDetails';

describe('VersionDetails', () => {
  it('shows every validation metric and the lineage fields', () => {
    render(<VersionDetails version={toVersion({ ...versions[1], metrics: { accuracy: 0.87, latency_ms: 40, f1: 0.7 } })} />);
    expect(screen.getByTestId(testIds.model.metrics)).toHaveTextContent('f10.7');
    const lineage = screen.getByTestId(testIds.model.lineage);
    expect(lineage).toHaveTextContent('Code commitc0ffee11');
    expect(lineage).toHaveTextContent('python = 3.11');
    expect(lineage).toHaveTextContent('owner = risk-team');
  });

  it('says when no metrics were recorded', () => {
    render(<VersionDetails version={toVersion({ ...versions[0], metrics: {}, lineage: {} })} />);
    expect(screen.getByText('No validation metrics were recorded at registration.')).toBeInTheDocument();
  });
});
