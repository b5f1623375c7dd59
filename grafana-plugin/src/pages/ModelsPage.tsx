import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Input, useStyles2 } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { useAppSettings } from '../components/App/AppSettings';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
import { EmptyTableRow } from '../components/EmptyTableRow/EmptyTableRow';
import { LiveMetricCells, LIVE_COLUMNS, useLiveMetrics } from '../components/LiveMetrics/LiveMetrics';
import { StageBadge } from '../components/StageBadge/StageBadge';
import { getTableStyles } from '../components/styles';
import { modelPageUrl, testIds } from '../constants';
import { useAsync } from '../hooks/useAsync';

/** All registered models: who owns them, what is in production, how it is doing right now. */
export function ModelsPage() {
  const styles = useStyles2(getTableStyles);
  const settings = useAppSettings();
  const [search, setSearch] = useState('');
  const models = useAsync(() => exporterApi.listModels(), []);
  const live = useLiveMetrics(settings.prometheusUid);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = models.value ?? [];
    return q ? list.filter((m) => [m.name, m.team, m.description].some((s) => s.toLowerCase().includes(q))) : list;
  }, [models.value, search]);

  return (
    <PluginPage>
      <div data-testid={testIds.models.page}>
        <Input
          data-testid={testIds.models.search}
          prefix={<span aria-hidden>🔍</span>}
          placeholder="Search models by name, team or description"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          width={60}
        />
        {live.notice && (
          <Alert severity="info" title="Live metrics unavailable" data-testid={testIds.models.liveMetrics}>
            {live.notice}
          </Alert>
        )}
        <AsyncContent state={models} loadingText="Loading models…">
          {(all) => (
            <table className={`${styles.table} ${styles.section}`}>
              <thead>
                <tr>
                  <th>Model</th>
                  <th>Team</th>
                  <th>Production</th>
                  {live.metrics && LIVE_COLUMNS.map((c) => <th key={c.key}>{c.title}</th>)}
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => (
                  <tr key={m.name} data-testid={testIds.models.row(m.name)}>
                    <td>
                      <Link to={modelPageUrl(m.name)}>{m.name}</Link>
                      {m.description && <div className={styles.muted}>{m.description}</div>}
                    </td>
                    <td>{m.team || '—'}</td>
                    <td>
                      {m.productionVersion ? (
                        <>
                          <StageBadge stage="production" /> {m.productionVersion}
                        </>
                      ) : (
                        <span className={styles.muted}>none in production</span>
                      )}
                    </td>
                    {live.metrics && <LiveMetricCells values={live.metrics[m.name]} />}
                  </tr>
                ))}
                {shown.length === 0 && (
                  <EmptyTableRow columns={3 + (live.metrics ? LIVE_COLUMNS.length : 0)}>
                    {all.length === 0 ? 'No models are registered yet.' : `No model matches “${search}”.`}
                  </EmptyTableRow>
                )}
              </tbody>
            </table>
          )}
        </AsyncContent>
      </div>
    </PluginPage>
  );
}
