import React from 'react';
import { getValueFormat, formattedValueToString } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { choosePrometheus } from '../../api/liveMetrics';
import { queryVersionNumbers, type VersionNumber, type VersionNumbers } from '../../api/versionNumbers';
import { ROLLBACK_ROWS } from './rollbackRows';
import { testIds } from '../../constants';
import { useAsync } from '../../hooks/useAsync';
import { useAppSettings } from '../App/AppSettings';
import { getTableStyles } from '../styles';

/** A number as the comparison shows it; missing is a dash, not zero. */
export function formatNumber(key: VersionNumber, value: number | undefined): string {
  const row = ROLLBACK_ROWS.find((r) => r.key === key);
  if (value === undefined || !row) return '—';
  return formattedValueToString(getValueFormat(row.unit)(value, row.decimals));
}

/**
 * The live numbers of the version being archived and the one returning, side by side, so the
 * person confirming sees what the rollback trades. Read from Prometheus at the moment the dialog
 * opens (instant queries through /api/ds/query).
 */
export function RollbackNumbers({ model, current, target }: { model: string; current: string; target: string | null }) {
  const styles = useStyles2(getTableStyles);
  const settings = useAppSettings();
  const ds = choosePrometheus(settings.prometheusUid);
  const numbers = useAsync<VersionNumbers | null>(async () => (ds ? queryVersionNumbers(ds.uid, model) : null), [model, ds?.uid]);
  if (!ds) return <p className={styles.muted}>No Prometheus datasource: live numbers of the two versions are not available.</p>;
  if (numbers.error)
    return (
      <Alert severity="warning" title="Live numbers unavailable">
        {numbers.error.message}
      </Alert>
    );
  if (!numbers.value) return <p className={styles.muted}>Loading live numbers…</p>;
  const versions = [current, ...(target ? [target] : [])];
  return (
    <table className={styles.table} data-testid={testIds.rollback.live}>
      <thead>
        <tr>
          <th />
          <th>{current} (now, archived)</th>
          {target && <th>{target} (returns)</th>}
        </tr>
      </thead>
      <tbody>
        {ROLLBACK_ROWS.map((r) => (
          <tr key={r.key} data-row={r.key}>
            <th>{r.title}</th>
            {versions.map((v) => (
              <td key={v}>{formatNumber(r.key, numbers.value?.[v]?.[r.key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
