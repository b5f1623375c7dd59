import React, { useState } from 'react';
import { Field, RadioButtonGroup } from '@grafana/ui';
import { exporterApi } from '../../api/client';
import { promotionTargets } from '../../api/stages';
import type { ModelVersion, Stage } from '../../api/types';
import { testIds } from '../../constants';
import { ActionDialog } from '../ActionDialog/ActionDialog';

interface Props {
  version: ModelVersion;
  onDismiss: () => void;
  /** Called after the exporter accepted the transition. */
  onDone: (to: Stage) => void;
}

/** Moves a version to another stage. A reason is required; a 422 lists every failed gate. */
export function PromoteDialog({ version, onDismiss, onDone }: Props) {
  const targets = promotionTargets(version.stage);
  const [to, setTo] = useState<Stage | undefined>(targets[0]);

  const move = async (target: Stage, reason: string): Promise<Stage> => {
    await exporterApi.transition(version.model, version.version, target, reason);
    return target;
  };

  return (
    <ActionDialog
      title={`Move ${version.model} ${version.version} (${version.stage})`}
      testId={testIds.promote.dialog}
      reasonDescription="Recorded in the audit log with your name."
      reasonRows={3}
      reasonInput={{ 'data-testid': testIds.promote.reason }}
      submitLabel={to ? `Move to ${to}` : 'No stage to move to'}
      submitTestId={testIds.promote.submit}
      spinnerWhileBusy
      run={to ? (reason) => move(to, reason) : undefined}
      onDismiss={onDismiss}
      onDone={onDone}
    >
      <Field label="Target stage">
        <div data-testid={testIds.promote.stage}>
          <RadioButtonGroup<Stage> options={targets.map((s) => ({ label: s, value: s }))} value={to} onChange={setTo} />
        </div>
      </Field>
    </ActionDialog>
  );
}
