import React, { type ReactNode } from 'react';
import { useStyles2 } from '@grafana/ui';
import { getTableStyles } from '../styles';

/** The one row a table shows when it has nothing to list, saying why across all its columns. */
export function EmptyTableRow({ columns, children }: { columns: number; children: ReactNode }) {
  const styles = useStyles2(getTableStyles);
  return (
    <tr>
      <td colSpan={columns} className={styles.muted}>
        {children}
      </td>
    </tr>
  );
}
