import React, { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { css } from '@emotion/css';
import { dateTimeFormat, rangeUtil, type GrafanaTheme2, type RawTimeRange, type TimeRange } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, Badge, InteractiveTable, TimeRangePicker, useStyles2, useTheme2, type Column } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { choosePrometheus } from '../api/liveMetrics';
import { queryRange } from '../api/rangeQuery';
import type { Transition } from '../api/types';
import { useAppSettings } from '../components/App/AppSettings';
import { testIds } from '../constants';
import { useAsync } from '../hooks/useAsync';
import { alertEvents, alertSpans, changesAround, referenceEvents, registryEvents, type AlertSpan, type Change } from './events';
import { IncidentChart, prepareFrames } from './IncidentChart';
import { alertsQuery, incidentCharts } from './queries';
import { parseUrlTime } from './urlTime';

/** Points per series asked of Prometheus: about a chart's width in pixels, as a Grafana panel asks. */
export const MAX_DATA_POINTS = 500;
/** How far before the range's start "what changed" looks: a bad release precedes its symptoms. */
export const CHANGES_MARGIN_MS = 3_600_000;
const DEFAULT_RANGE: RawTimeRange = { from: 'now-1h', to: 'now' };

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({ display: 'flex', justifyContent: 'flex-end', marginBottom: theme.spacing(1) }),
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(520px, 1fr))', gap: theme.spacing(2) }),
  chart: css({ border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(1), background: theme.colors.background.primary }),
  title: css({ fontSize: theme.typography.h6.fontSize, margin: theme.spacing(0, 0, 1, 0) }),
});

function useWidth(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    // jsdom (the unit tests) has no ResizeObserver; the charts then keep their minimum width.
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The page's time range, kept in the URL as Grafana does (`?from=now-1h&to=now`, or epoch ms). */
function useUrlTimeRange(timeZone: string): [TimeRange, (raw: RawTimeRange) => void] {
  const location = useLocation();
  const navigate = useNavigate();
  const params = new URLSearchParams(location.search);
  const raw: RawTimeRange = {
    from: parseUrlTime(params.get('from')) ?? DEFAULT_RANGE.from,
    to: parseUrlTime(params.get('to')) ?? DEFAULT_RANGE.to,
  };
  const key = `${params.get('from')}|${params.get('to')}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => rangeUtil.convertRawToRange(raw, timeZone), [key, timeZone]);
  const set = (next: RawTimeRange) => {
    const q = new URLSearchParams(location.search);
    const asUrl = (v: RawTimeRange['from']) => (typeof v === 'string' ? v : String(v.valueOf()));
    q.set('from', asUrl(next.from));
    q.set('to', asUrl(next.to));
    navigate({ search: q.toString() });
  };
  return [range, set];
}

/**
 * The model page's incident view: accuracy with its interval and the label-free estimate, the
 * labels it rests on, traffic, drift, latency and errors per version over the picked time range,
 * from Prometheus through Grafana's datasource API; registry transitions, rollbacks and alerts as
 * annotations; firing and resolved alerts; and what changed around the incident.
 */
export function IncidentView({ model, transitions }: { model: string; transitions: Transition[] }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const settings = useAppSettings();
  const timeZone = config.bootData?.user?.timezone || 'browser';
  const [range, setRange] = useUrlTimeRange(timeZone);
  const [gridRef, gridWidth] = useWidth();
  const ds = choosePrometheus(settings.prometheusUid);
  const charts = useMemo(() => incidentCharts(model), [model]);
  const fromMs = range.from.valueOf();
  const toMs = range.to.valueOf();

  const data = useAsync(async () => {
    const audit = await exporterApi.listAudit({ model, limit: 500 });
    if (!ds) return { byRef: null, audit };
    const exprs: Record<string, string> = { alerts: alertsQuery(model) };
    for (const c of charts) for (const q of c.queries) exprs[q.refId] = q.expr;
    const byRef = await queryRange(ds.uid, { fromMs, toMs, maxDataPoints: MAX_DATA_POINTS }, exprs);
    return { byRef, audit };
  }, [model, fromMs, toMs, ds?.uid, charts]);

  const spans: AlertSpan[] = useMemo(() => {
    const frames = data.value?.byRef?.alerts ?? [];
    const step = Number(frames[0]?.fields[0]?.config.interval ?? 0);
    return alertSpans(frames, step, toMs);
  }, [data.value, toMs]);
  const events = useMemo(
    () =>
      [...registryEvents(transitions, fromMs, toMs), ...referenceEvents(data.value?.audit ?? [], fromMs, toMs), ...alertEvents(spans)].sort(
        (a, b) => a.at - b.at,
      ),
    [transitions, data.value, spans, fromMs, toMs],
  );
  const changes = useMemo(() => changesAround(data.value?.audit ?? [], fromMs, toMs, CHANGES_MARGIN_MS), [data.value, fromMs, toMs]);
  const when = (ms: number) => dateTimeFormat(ms, { timeZone });

  const alertColumns = useMemo<Array<Column<AlertSpan>>>(
    () => [
      {
        id: 'state',
        header: 'State',
        cell: ({ row }) => <Badge text={row.original.state} color={row.original.state === 'firing' ? 'red' : 'green'} />,
      },
      { id: 'alertname', header: 'Alert', sortType: 'string' },
      { id: 'version', header: 'Version' },
      { id: 'severity', header: 'Severity' },
      { id: 'startMs', header: 'Since', cell: ({ row }) => when(row.original.startMs) },
      { id: 'endMs', header: 'Last seen', cell: ({ row }) => when(row.original.endMs) },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [timeZone],
  );
  const changeColumns = useMemo<Array<Column<Change>>>(
    () => [
      { id: 'at', header: 'When', cell: ({ row }) => when(row.original.at) },
      { id: 'what', header: 'What changed' },
      { id: 'actor', header: 'Who' },
      { id: 'reason', header: 'Reason' },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [timeZone],
  );

  const chartWidth = gridWidth > 1100 ? Math.floor((gridWidth - 16) / 2) - 18 : Math.max(gridWidth - 18, 300);

  return (
    <div data-testid={testIds.incident.view} ref={gridRef}>
      <div className={styles.toolbar} data-testid={testIds.incident.timePicker}>
        <TimeRangePicker
          value={range}
          timeZone={timeZone}
          onChange={(r) => setRange(r.raw)}
          onChangeTimeZone={() => {}}
          onMoveBackward={() => {
            const span = toMs - fromMs;
            setRange({ from: String(fromMs - span / 2), to: String(toMs - span / 2) });
          }}
          onMoveForward={() => {
            const span = toMs - fromMs;
            setRange({ from: String(fromMs + span / 2), to: String(toMs + span / 2) });
          }}
          onZoom={() => {
            const span = toMs - fromMs;
            setRange({ from: String(fromMs - span / 2), to: String(toMs + span / 2) });
          }}
        />
      </div>
      {!ds && (
        <Alert severity="info" title="Charts unavailable" data-testid={testIds.incident.notice}>
          {settings.prometheusUid
            ? `The configured Prometheus datasource (${settings.prometheusUid}) was not found.`
            : 'No Prometheus datasource is configured in Grafana, so the incident charts and alerts are not shown.'}
        </Alert>
      )}
      {data.error && (
        <Alert severity="error" title="Loading the incident view failed" data-testid={testIds.incident.notice}>
          {data.error.message}
        </Alert>
      )}
      {data.value?.byRef && (
        <>
          <div className={styles.grid}>
            {charts.map((spec) => (
              <section key={spec.id} className={styles.chart} data-testid={testIds.incident.chart(spec.id)}>
                <h4 className={styles.title}>{spec.title}</h4>
                {chartWidth > 0 && (
                  <IncidentChart
                    spec={spec}
                    frames={prepareFrames(spec, data.value?.byRef ?? {}, theme, timeZone)}
                    events={events}
                    timeRange={range}
                    timeZone={timeZone}
                    width={chartWidth}
                    height={300}
                  />
                )}
              </section>
            ))}
          </div>
          <h3>Alerts in this time range</h3>
          <div data-testid={testIds.incident.alerts}>
            {spans.length === 0 ? (
              <p>No alert fired for {model} in this time range.</p>
            ) : (
              <InteractiveTable columns={alertColumns} data={spans} getRowId={(s) => `${s.alertname}-${s.version}-${s.startMs}`} />
            )}
          </div>
        </>
      )}
      <h3>What changed around this time</h3>
      <div data-testid={testIds.incident.changes}>
        {changes.length === 0 ? (
          <p>No registry change from an hour before this range to its end.</p>
        ) : (
          <InteractiveTable columns={changeColumns} data={changes} getRowId={(c) => String(c.id)} />
        )}
      </div>
    </div>
  );
}
