import React, { useMemo } from 'react';
import { Button, type Column, InteractiveTable, useStyles2 } from '@grafana/ui';
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

/** A model's versions in Grafana's InteractiveTable; the selected version's button is filled. */
export function VersionsTable({ versions, selected, onSelect, onPromote, onArchive }: Props) {
  const styles = useStyles2(getTableStyles);
  const columns = useMemo<Array<Column<ModelVersion>>>(() => {
    const cols: Array<Column<ModelVersion>> = [
      {
        id: 'version',
        header: 'Version',
        // The row's test id sits in its first cell: InteractiveTable renders the <tr> itself.
        cell: ({ row: { original: v } }) => (
          <span data-testid={testIds.model.versionRow(v.version)}>
            <Button
              variant="secondary"
              fill={v.version === selected ? 'solid' : 'text'}
              size="sm"
              onClick={() => onSelect(v.version)}
              aria-label={`Show details of ${v.version}`}
              aria-pressed={v.version === selected}
            >
              {v.version}
            </Button>
          </span>
        ),
      },
      { id: 'stage', header: 'Stage', cell: ({ row }) => <StageBadge stage={row.original.stage} /> },
      ...SHOWN_METRICS.map((m) => ({
        id: m,
        header: m,
        cell: ({ row }: { row: { original: ModelVersion } }) => row.original.metrics[m] ?? '—',
      })),
      {
        id: 'createdAt',
        header: 'Registered',
        cell: ({ row }) => (row.original.createdAt ? <Time iso={row.original.createdAt} /> : '—'),
      },
    ];
    if (onPromote || onArchive)
      cols.push({
        id: 'actions',
        header: 'Actions',
        cell: ({ row: { original: v } }) => (
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
        ),
      });
    return cols;
  }, [selected, onSelect, onPromote, onArchive, styles]);
  return <InteractiveTable columns={columns} data={versions} getRowId={(v) => v.version} />;
}
