import React, { type ReactNode, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, type Column, Icon, InlineField, InlineSwitch, Input, InteractiveTable, Stack, useStyles2 } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { useAppSettings } from '../components/App/AppSettings';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
import { HealthBadge } from '../components/Health/HealthBadge';
import { LIVE_COLUMNS, useLiveMetrics } from '../components/LiveMetrics/LiveMetrics';
import { StageBadge } from '../components/StageBadge/StageBadge';
import { getTableStyles } from '../components/styles';
import { modelDashboardUrl, modelPageUrl, testIds } from '../constants';
import { assessFleet, type ModelHealth } from '../health/health';
import { useAsync } from '../hooks/useAsync';
import { alertText, shareText, TRIAGE_COLUMNS } from '../health/present';
import { STAGES, type ModelSummary, type Stage } from '../api/types';

const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

interface TriageRow {
  model: ModelSummary;
  health: ModelHealth | undefined;
}
type CellArg = { row: { original: TriageRow } };
type Styles = ReturnType<typeof getTableStyles>;

/** Each triage column's cell, given the table styles and the time range the dashboard link carries. */
const TRIAGE_CELLS: Record<(typeof TRIAGE_COLUMNS)[number], (styles: Styles, from: string, to: string) => (arg: CellArg) => ReactNode> = {
  Health: () =>
    function HealthCell({ row: { original: r } }) {
      return r.health ? <HealthBadge state={r.health.state} /> : null;
    },
  Model: (styles, from, to) =>
    function ModelCell({ row: { original: r } }) {
      const m = r.model;
      return (
        // The row's test id and state sit in the model cell: InteractiveTable renders the <tr> itself.
        <div data-testid={testIds.models.row(m.name)} data-state={r.health?.state}>
          <Link to={modelPageUrl(m.name)}>{m.name}</Link>
          {m.archivedAt && (
            <span data-testid={testIds.retire.archivedTag} className={styles.muted}>
              {' '}
              (archived)
            </span>
          )}
          {m.description && <div className={styles.muted}>{m.description}</div>}
          {/* Another Grafana route, not this app's: a plain link, which Grafana's router takes over. */}
          <div>
            <a href={modelDashboardUrl(m.name, from, to)} data-testid={testIds.models.dashboardLink} className={styles.link}>
              <Icon name="apps" /> model-detail dashboard
            </a>
          </div>
        </div>
      );
    },
  Why: (styles) =>
    function WhyCell({ row: { original: r } }) {
      const h = r.health;
      if (!h) return null;
      return (
        <>
          <ul data-testid={testIds.models.reasons} className={styles.reasons}>
            {h.reasons.map((x) => (
              <li key={x.text}>{x.text}</li>
            ))}
          </ul>
          {h.alerts.length > 0 && (
            <div className={styles.muted}>
              <Icon name="bell" /> firing: <span data-testid={testIds.models.alerts}>{h.alerts.map(alertText).sort().join(', ')}</span>
            </div>
          )}
        </>
      );
    },
  'Worst version': (styles) =>
    function WorstVersionCell({ row: { original: r } }) {
      const w = r.health?.worstVersion;
      return (
        <div data-testid={testIds.models.worstVersion}>
          {w ? (
            <>
              {w.version} {isStage(w.stage) ? <StageBadge stage={w.stage} /> : w.stage}
              <div className={styles.muted}>{shareText(w.share)}</div>
            </>
          ) : (
            '—'
          )}
        </div>
      );
    },
  Team: () =>
    function TeamCell({ row: { original: r } }) {
      return <>{r.model.team || '—'}</>;
    },
  Production: (styles) =>
    function ProductionCell({ row: { original: r } }) {
      return r.model.productionVersion ? (
        <>
          <StageBadge stage="production" /> {r.model.productionVersion}
        </>
      ) : (
        <span className={styles.muted}>none in production</span>
      );
    },
};

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
  // Archived (retired) models are hidden as the exporter's GET /models hides them, unless asked for.
  const [showArchived, setShowArchived] = useState(false);
  const models = useAsync(() => exporterApi.listModels({ includeArchived: showArchived }), [showArchived]);
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
  const rows = useMemo<TriageRow[]>(() => shown.map((m) => ({ model: m, health: byModel.get(m.name) })), [shown, byModel]);
  const tableColumns = useMemo<Array<Column<TriageRow>>>(() => {
    const names = health ? TRIAGE_COLUMNS : TRIAGE_COLUMNS.filter((c) => c === 'Model' || c === 'Team' || c === 'Production');
    const cols = names.map((name) => ({ id: name, header: name, cell: TRIAGE_CELLS[name](styles, from, to) }));
    const metrics = live.metrics;
    if (!metrics) return cols;
    return [
      ...cols,
      ...LIVE_COLUMNS.map((c) => ({
        id: c.key,
        header: c.title,
        cell: ({ row }: CellArg) => {
          const v = metrics[row.original.model.name]?.[c.key];
          return v === undefined ? '—' : c.format(v);
        },
      })),
    ];
  }, [health, live.metrics, styles, from, to]);

  return (
    <PluginPage>
      <div data-testid={testIds.models.page}>
        <Stack gap={2} alignItems="center">
          <Input
            data-testid={testIds.models.search}
            prefix={<Icon name="search" />}
            placeholder="Search models by name, team or description"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            width={60}
          />
          <InlineField label="Show archived" tooltip="Archived (retired) models are left out unless shown">
            <InlineSwitch
              data-testid={testIds.retire.showArchived}
              value={showArchived}
              onChange={(e) => setShowArchived(e.currentTarget.checked)}
            />
          </InlineField>
        </Stack>
        {live.notice && (
          <Alert severity="info" title="Live metrics unavailable" data-testid={testIds.models.liveMetrics}>
            {live.notice}
          </Alert>
        )}
        <AsyncContent state={models} loadingText="Loading models…">
          {(all) =>
            rows.length === 0 ? (
              <p className={styles.section}>{all.length === 0 ? 'No models are registered yet.' : `No model matches “${search}”.`}</p>
            ) : (
              <div className={styles.section}>
                <InteractiveTable columns={tableColumns} data={rows} getRowId={(r) => r.model.name} />
              </div>
            )
          }
        </AsyncContent>
      </div>
    </PluginPage>
  );
}
