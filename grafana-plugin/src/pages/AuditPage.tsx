import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, type Column, Field, Input, InteractiveTable } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { modelNameProblem } from '../api/names';
import type { AuditEntry, AuditVerification } from '../api/types';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
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

const AUDIT_COLUMNS: Array<Column<AuditEntry>> = [
  // The row's test id sits in its first cell: InteractiveTable renders the <tr> itself.
  { id: 'id', header: '#', cell: ({ row }) => <span data-testid={testIds.audit.row}>{row.original.id}</span> },
  { id: 'at', header: 'At', cell: ({ row }) => <Time iso={row.original.at} /> },
  { id: 'actor', header: 'Actor' },
  { id: 'action', header: 'Action', cell: ({ row }) => <code>{row.original.action}</code> },
  {
    id: 'model',
    header: 'Model',
    cell: ({ row }) => (row.original.model ? <Link to={modelPageUrl(row.original.model)}>{row.original.model}</Link> : '—'),
  },
  { id: 'version', header: 'Version', cell: ({ row }) => row.original.version ?? '—' },
  { id: 'reason', header: 'Reason', cell: ({ row }) => row.original.reason ?? '' },
  { id: 'hash', header: 'Hash', cell: ({ row }) => <code title={row.original.hash}>{row.original.hash.slice(0, 12)}</code> },
];

function AuditTable({ entries, filter }: { entries: AuditEntry[]; filter: string }) {
  const sorted = useMemo(() => [...entries].sort((a, b) => b.id - a.id), [entries]);
  if (sorted.length === 0) return <p>No audit entries{filter ? ` for ${filter}` : ''}.</p>;
  return <InteractiveTable columns={AUDIT_COLUMNS} data={sorted} getRowId={(e) => String(e.id)} />;
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
