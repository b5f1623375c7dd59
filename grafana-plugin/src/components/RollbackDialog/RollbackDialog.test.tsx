import React from 'react';
import { render, screen } from '@testing-library/react';
import { testIds } from '../../constants';
import { RollbackDialog } from './RollbackDialog';

describe('RollbackDialog', () => {
  it('names the version that returns and the one archived', () => {
    render(<RollbackDialog model="m" current="2.0" previous="1.9" onDismiss={() => {}} onDone={() => {}} />);
    expect(screen.getByTestId(testIds.rollback.dialog)).toHaveTextContent('m 1.9 returns to production and m 2.0 is archived');
    expect(screen.getByTestId(testIds.rollback.confirm)).toHaveTextContent('Roll back to 1.9');
  });

  it('warns when the registry records nothing to return to', () => {
    render(<RollbackDialog model="m" current="2.0" previous={null} onDismiss={() => {}} onDone={() => {}} />);
    expect(screen.getByTestId(testIds.rollback.dialog)).toHaveTextContent('no earlier production version to return to');
  });
});
