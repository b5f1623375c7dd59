import React from 'react';
import { useStyles2 } from '@grafana/ui';
import type { ModelVersion } from '../../api/types';
import { testIds } from '../../constants';
import { getTableStyles } from '../styles';
import { Time } from '../Time/Time';

function KeyValues({ title, values }: { title: string; values: Record<string, string | number | boolean | null> }) {
  const entries = Object.entries(values);
  if (!entries.length) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        {entries.map(([k, v]) => (
          <div key={k}>
            <code>{k}</code> = {String(v)}
          </div>
        ))}
      </dd>
    </>
  );
}

/** Validation metrics and lineage of one version: what was trained on what, by which code. */
export function VersionDetails({ version }: { version: ModelVersion }) {
  const styles = useStyles2(getTableStyles);
  const l = version.lineage;
  const metrics = Object.entries(version.metrics);
  return (
    <div>
      <h4>Validation metrics of {version.version}</h4>
      {metrics.length ? (
        <table className={styles.table} data-testid={testIds.model.metrics}>
          <tbody>
            {metrics.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className={styles.muted}>No validation metrics were recorded at registration.</p>
      )}
      <h4 className={styles.section}>Lineage of {version.version}</h4>
      <dl data-testid={testIds.model.lineage}>
        {l.parentVersion && (
          <>
            <dt>Parent version</dt>
            <dd>{l.parentVersion}</dd>
          </>
        )}
        {l.dataVersion && (
          <>
            <dt>Data version</dt>
            <dd>{l.dataVersion}</dd>
          </>
        )}
        {l.codeCommit && (
          <>
            <dt>Code commit</dt>
            <dd>
              <code>{l.codeCommit}</code>
            </dd>
          </>
        )}
        {l.artifactUri && (
          <>
            <dt>Artifact</dt>
            <dd>
              <code>{l.artifactUri}</code>
            </dd>
          </>
        )}
        <KeyValues title="Hyperparameters" values={l.hyperparameters} />
        <KeyValues title="Environment" values={l.environment} />
        <KeyValues title="Tags" values={l.tags} />
        {version.createdBy && (
          <>
            <dt>Registered</dt>
            <dd>
              by {version.createdBy} at {version.createdAt ? <Time iso={version.createdAt} /> : '—'}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
