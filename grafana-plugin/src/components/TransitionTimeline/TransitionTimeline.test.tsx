import React from 'react';
import { render, screen } from '@testing-library/react';
import { toTransition } from '../../api/normalize';
import { testIds } from '../../constants';
import { transitions } from '../../test/fixtures';
import { TransitionTimeline } from './TransitionTimeline';

describe('TransitionTimeline', () => {
  const list = transitions.map(toTransition);

  it('orders newest first and honours the limit', () => {
    render(<TransitionTimeline transitions={list} limit={2} />);
    const items = screen.getAllByTestId(testIds.transitions.item);
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('0.9');
    expect(items[1]).toHaveTextContent('1.1');
  });

  it('marks forced transitions', () => {
    render(<TransitionTimeline transitions={[{ ...list[0], forced: true }]} />);
    expect(screen.getByText('forced past gates')).toBeInTheDocument();
  });

  it('says so when there is no history', () => {
    render(<TransitionTimeline transitions={[]} />);
    expect(screen.getByText('No stage transitions recorded yet.')).toBeInTheDocument();
  });
});
