import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Field, Input, useStyles2 } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { modelNameProblem } from '../api/names';
import type { AuditEntry, AuditVerification } from '../api/types';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
import { EmptyTableRow } from '../components/EmptyTableRow/EmptyTableRow';
import { getTableStyles } from '../components/styles';
import { modelPageUrl, testIds } from '../constants';
import { useAsync } from '../hooks/useAsync';
import { Time } from '../components/Time/Time';

const PAGE_SIZE = 200;

function VerifyStatus({ result }: { result: AuditVerification }) {
  if (result.valid) {
    return (
      <Alert severity="success" title="Audit chain verified" data-testid={testIds.audit.verify}>
        Every entry&apos;s hash links to the one before it{result.entries !== null ? ` (${result.entries} entries checked)` : ''}; nothing
        was altered or removed.
      </Alert>
    );
  }
  return (
    <Alert severity="error" title="Audit chain does NOT verify" data-testid={testIds.audit.verify}>
      {result.problem ?? 'The exporter reports a broken hash chain: an entry was altered, removed or inserted.'}
    </Alert>
  );
}

function AuditTable({ entries, filter }: { entries: AuditEntry[]; filter: string }) {
  const styles = useStyles2(getTableStyles);
  const sorted = [...entries].sort((a, b) => b.id - a.id);
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>#</th>
          <th>At</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Model</th>
          <th>Version</th>
          <th>Reason</th>
          <th>Hash</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((e) => (
          <tr key={e.id} data-testid={testIds.audit.row}>
            <td>{e.id}</td>
            <td className={styles.muted}>
              <Time iso={e.at} />
            </td>
            <td>{e.actor}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td>{e.model ? <Link to={modelPageUrl(e.model)}>{e.model}</Link> : '—'}</td>
            <td>{e.version ?? '—'}</td>
            <td>{e.reason ?? ''}</td>
            <td className={styles.muted}>
              <code title={e.hash}>{e.hash.slice(0, 12)}</code>
            </td>
          </tr>
        ))}
        {sorted.length === 0 && <EmptyTableRow columns={8}>No audit entries{filter ? ` for ${filter}` : ''}.</EmptyTableRow>}
      </tbody>
    </table>
  );
}

/** The tamper-evident audit log, newest first, with the hash chain's verification status. */
export function AuditPage() {
  const [model, setModel] = useState('');
  const [applied, setApplied] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>();
  const verify = useAsync(() => exporterApi.verifyAudit(), []);
  const entries = useAsync(() => exporterApi.listAudit({ model: applied || undefined, limit: PAGE_SIZE }), [applied]);

  return (
    <PluginPage>
      <div data-testid={testIds.audit.page}>
        <AsyncContent state={verify}>{(result) => <VerifyStatus result={result} />}</AsyncContent>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const wanted = model.trim();
            // The exporter's name rule: a name it would refuse can have no entries, so say why instead of asking.
            const problem = wanted ? modelNameProblem(wanted) : undefined;
            setInvalid(problem);
            if (!problem) setApplied(wanted);
          }}
        >
          <Field invalid={invalid !== undefined} error={invalid}>
            <Input
              placeholder="Filter by model (press Enter)"
              value={model}
              onChange={(e) => setModel(e.currentTarget.value)}
              width={40}
              aria-label="Filter by model"
            />
          </Field>
        </form>
        <AsyncContent state={entries} loadingText="Loading audit log…">
          {(list) => <AuditTable entries={list} filter={applied} />}
        </AsyncContent>
      </div>
    </PluginPage>
  );
}
