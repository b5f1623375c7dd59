import React, { useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Icon, Input, useStyles2 } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { useAppSettings } from '../components/App/AppSettings';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
import { EmptyTableRow } from '../components/EmptyTableRow/EmptyTableRow';
import { HealthBadge } from '../components/Health/HealthBadge';
import { LiveMetricCells, LIVE_COLUMNS, useLiveMetrics } from '../components/LiveMetrics/LiveMetrics';
import { StageBadge } from '../components/StageBadge/StageBadge';
import { getTableStyles } from '../components/styles';
import { modelDashboardUrl, modelPageUrl, testIds } from '../constants';
import { assessFleet, type ModelHealth } from '../health/health';
import { useAsync } from '../hooks/useAsync';
import { alertText, shareText, TRIAGE_COLUMNS } from '../health/present';
import { STAGES, type Stage } from '../api/types';

const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

/**
 * All registered models as a triage list: health from live Prometheus data judged with the
 * alert rules' thresholds, worst first, each row saying why, with links to the model page and
 * the model-detail dashboard over the same time range.
 */
export function ModelsPage() {
  const styles = useStyles2(getTableStyles);
  const settings = useAppSettings();
  const location = useLocation();
  const [search, setSearch] = useState('');
  const models = useAsync(() => exporterApi.listModels(), []);
  const live = useLiveMetrics(settings.prometheusUid);
  // Grafana keeps the time range in the URL as from/to; carry it to the dashboard.
  const params = new URLSearchParams(location.search);
  const from = params.get('from') ?? 'now-6h';
  const to = params.get('to') ?? 'now';

  const health = useMemo(() => {
    const names = (models.value ?? []).map((m) => m.name);
    return live.triage ? assessFleet(names, live.triage) : null;
  }, [models.value, live.triage]);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = models.value ?? [];
    const order = health ? new Map(health.map((h, i) => [h.model, i])) : null;
    const sorted = order ? [...list].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0)) : list;
    return q ? sorted.filter((m) => [m.name, m.team, m.description].some((s) => s.toLowerCase().includes(q))) : sorted;
  }, [models.value, search, health]);
  const byModel = useMemo(() => new Map<string, ModelHealth>((health ?? []).map((h) => [h.model, h])), [health]);
  const columns = health ? TRIAGE_COLUMNS : TRIAGE_COLUMNS.filter((c) => c === 'Model' || c === 'Team' || c === 'Production');

  return (
    <PluginPage>
      <div data-testid={testIds.models.page}>
        <Input
          data-testid={testIds.models.search}
          prefix={<Icon name="search" />}
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
                  {columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                  {live.metrics && LIVE_COLUMNS.map((c) => <th key={c.key}>{c.title}</th>)}
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => {
                  const h = byModel.get(m.name);
                  return (
                    <tr key={m.name} data-testid={testIds.models.row(m.name)} data-state={h?.state}>
                      {h && (
                        <td>
                          <HealthBadge state={h.state} />
                        </td>
                      )}
                      <td>
                        <Link to={modelPageUrl(m.name)}>{m.name}</Link>
                        {m.description && <div className={styles.muted}>{m.description}</div>}
                        {/* Another Grafana route, not this app's: a plain link, which Grafana's router takes over. */}
                        <div>
                          <a href={modelDashboardUrl(m.name, from, to)} data-testid={testIds.models.dashboardLink} className={styles.link}>
                            <Icon name="apps" /> model-detail dashboard
                          </a>
                        </div>
                      </td>
                      {h && (
                        <td>
                          <ul data-testid={testIds.models.reasons} className={styles.reasons}>
                            {h.reasons.map((r) => (
                              <li key={r.text}>{r.text}</li>
                            ))}
                          </ul>
                          {h.alerts.length > 0 && (
                            <div className={styles.muted}>
                              <Icon name="bell" /> firing:{' '}
                              <span data-testid={testIds.models.alerts}>{h.alerts.map(alertText).sort().join(', ')}</span>
                            </div>
                          )}
                        </td>
                      )}
                      {h && (
                        <td data-testid={testIds.models.worstVersion}>
                          {h.worstVersion ? (
                            <>
                              {h.worstVersion.version}{' '}
                              {isStage(h.worstVersion.stage) ? <StageBadge stage={h.worstVersion.stage} /> : h.worstVersion.stage}
                              <div className={styles.muted}>{shareText(h.worstVersion.share)}</div>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      )}
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
                  );
                })}
                {shown.length === 0 && (
                  <EmptyTableRow columns={columns.length + (live.metrics ? LIVE_COLUMNS.length : 0)}>
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
