import React from 'react';
import { render, screen } from '@testing-library/react';
import { STAGES } from '../../api/types';
import { StageBadge } from './StageBadge';

describe('StageBadge', () => {
  it.each(STAGES)('labels %s', (stage) => {
    render(<StageBadge stage={stage} />);
    expect(screen.getByTestId(`mw-stage-${stage}`)).toHaveTextContent(stage);
  });
});
