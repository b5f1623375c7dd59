import React from 'react';
import { cx } from '@emotion/css';
import { Button, useStyles2 } from '@grafana/ui';
import { canArchive, promotionTargets } from '../../api/stages';
import type { ModelVersion } from '../../api/types';
import { testIds } from '../../constants';
import { StageBadge } from '../StageBadge/StageBadge';
import { getTableStyles } from '../styles';
import { Time } from '../Time/Time';

interface Props {
  versions: ModelVersion[];
  selected: string | null;
  onSelect: (version: string) => void;
  /** Absent for users who may only read: no action buttons at all. */
  onPromote?: (v: ModelVersion) => void;
  onArchive?: (v: ModelVersion) => void;
}

const SHOWN_METRICS = ['accuracy', 'latency_ms'];

export function VersionsTable({ versions, selected, onSelect, onPromote, onArchive }: Props) {
  const styles = useStyles2(getTableStyles);
  const actions = Boolean(onPromote || onArchive);
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>Version</th>
          <th>Stage</th>
          {SHOWN_METRICS.map((m) => (
            <th key={m}>{m}</th>
          ))}
          <th>Registered</th>
          {actions && <th>Actions</th>}
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid={testIds.model.versionRow(v.version)} className={cx(v.version === selected && styles.selected)}>
            <td>
              <Button
                variant="secondary"
                fill="text"
                size="sm"
                onClick={() => onSelect(v.version)}
                aria-label={`Show details of ${v.version}`}
              >
                {v.version}
              </Button>
            </td>
            <td>
              <StageBadge stage={v.stage} />
            </td>
            {SHOWN_METRICS.map((m) => (
              <td key={m}>{v.metrics[m] ?? '—'}</td>
            ))}
            <td className={styles.muted}>{v.createdAt ? <Time iso={v.createdAt} /> : '—'}</td>
            {actions && (
              <td>
                <div className={styles.actions}>
                  {onPromote && promotionTargets(v.stage).length > 0 && (
                    <Button
                      size="sm"
                      variant="primary"
                      icon="arrow-up"
                      data-testid={testIds.model.promote(v.version)}
                      onClick={() => onPromote(v)}
                    >
                      Move…
                    </Button>
                  )}
                  {onArchive && canArchive(v.stage) && (
                    <Button
                      size="sm"
                      variant="secondary"
                      icon="archive-alt"
                      data-testid={testIds.model.archive(v.version)}
                      onClick={() => onArchive(v)}
                    >
                      Archive
                    </Button>
                  )}
                </div>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
