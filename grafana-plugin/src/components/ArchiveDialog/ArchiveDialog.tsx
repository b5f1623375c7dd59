import React from 'react';
import { exporterApi } from '../../api/client';
import type { ModelVersion } from '../../api/types';
import { testIds } from '../../constants';
import { ActionDialog } from '../ActionDialog/ActionDialog';

interface Props {
  version: ModelVersion;
  onDismiss: () => void;
  onDone: () => void;
}

/** Archiving is a transition to `archived`; archiving the production version leaves none. */
export function ArchiveDialog({ version, onDismiss, onDone }: Props) {
  return (
    <ActionDialog
      title={`Archive ${version.model} ${version.version}?`}
      reasonRows={2}
      reasonInput={{ 'aria-label': 'Archive reason' }}
      submitLabel="Archive"
      submitTestId={testIds.archive.confirm}
      destructive
      run={(reason) => exporterApi.transition(version.model, version.version, 'archived', reason)}
      onDismiss={onDismiss}
      onDone={onDone}
    >
      <p>
        {version.model} {version.version} moves from {version.stage} to archived.
        {version.stage === 'production' && ' The model will have no production version until another is promoted.'}
      </p>
    </ActionDialog>
  );
}
