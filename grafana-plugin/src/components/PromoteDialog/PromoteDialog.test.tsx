import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { toVersion } from '../../api/normalize';
import { testIds } from '../../constants';
import { versions } from '../../test/fixtures';
import type { Stage } from '../../api/types';
import { PromoteDialog } from './PromoteDialog';

function targetsOffered(stage: Stage): Array<string | undefined> {
  const v = toVersion({ ...versions[0], stage });
  const { unmount } = render(<PromoteDialog version={v} onDismiss={() => {}} onDone={() => {}} />);
  const labels = within(screen.getByTestId(testIds.promote.stage))
    .getAllByRole('radio')
    .map((r) => document.querySelector(`label[for="${r.id}"]`)?.textContent);
  unmount();
  return labels;
}

describe('PromoteDialog', () => {
  it('offers only the moves the stage machine allows', () => {
    expect(targetsOffered('development')).toEqual(['staging']);
    expect(targetsOffered('staging')).toEqual(['production', 'development']);
    expect(targetsOffered('production')).toEqual(['staging']);
    expect(targetsOffered('archived')).toEqual(['development', 'staging']);
  });

  it('names the version and its current stage', () => {
    render(<PromoteDialog version={toVersion(versions[0])} onDismiss={() => {}} onDone={() => {}} />);
    expect(screen.getByRole('dialog')).toHaveTextContent('Move fraud_detector 1.0 (staging)');
    expect(screen.getByTestId(testIds.promote.submit)).toHaveTextContent('Move to production');
  });
});
