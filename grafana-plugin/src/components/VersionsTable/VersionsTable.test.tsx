import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toVersion } from '../../api/normalize';
import { testIds } from '../../constants';
import { versions } from '../../test/fixtures';
import { VersionsTable } from './VersionsTable';

const list = versions.map(toVersion);

describe('VersionsTable', () => {
  it('has no action column without action callbacks', () => {
    render(<VersionsTable versions={list} selected={null} onSelect={() => {}} />);
    expect(screen.queryByText('Actions')).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.model.promote('1.0'))).not.toBeInTheDocument();
  });

  it('passes the clicked version to the callbacks', async () => {
    const onPromote = jest.fn();
    const onArchive = jest.fn();
    const onSelect = jest.fn();
    render(<VersionsTable versions={list} selected="1.1" onSelect={onSelect} onPromote={onPromote} onArchive={onArchive} />);
    await userEvent.click(screen.getByTestId(testIds.model.promote('1.2')));
    await userEvent.click(screen.getByTestId(testIds.model.archive('1.0')));
    await userEvent.click(screen.getByRole('button', { name: 'Show details of 1.0' }));
    expect(onPromote.mock.calls[0][0].version).toBe('1.2');
    expect(onArchive.mock.calls[0][0].version).toBe('1.0');
    expect(onSelect).toHaveBeenCalledWith('1.0');
    // the selected version (whose details show) is marked, as the row highlight did
    expect(screen.getByRole('button', { name: 'Show details of 1.1' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Show details of 1.0' })).toHaveAttribute('aria-pressed', 'false');
    // The test id is in each row's first cell (InteractiveTable renders the rows).
    expect(within(screen.getByTestId(testIds.model.versionRow('1.2')).closest('tr')!).getByText('60')).toBeInTheDocument();
  });
});
