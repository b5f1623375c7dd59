/**
 * Grafana's datasources as far as this plugin uses them: the instance settings the frontend
 * gets in bootData (what `getDataSourceSrv().getList()` reads) and `POST /api/ds/query` for the
 * Prometheus datasource, answered by forwarding to a real Prometheus and translating its JSON into
 * the data frames Grafana's Prometheus backend (pkg/promlib) returns.
 */
import type { PromResponse } from '@modelwatch/test-support';

export interface HarnessDatasource {
  uid: string;
  name: string;
  type: 'prometheus';
  /** Where Grafana's server reaches Prometheus. Server-side only, like in Grafana (proxy access). */
  url: string;
  jsonData: { timeInterval?: string; httpMethod?: 'GET' | 'POST' };
  isDefault?: boolean;
}

/**
 * The per-datasource entry of bootData.settings.datasources, keyed by name. In proxy access mode
 * Grafana hands the browser its own proxy path, never the datasource's URL or secrets.
 */
export function datasourceBootSettings(list: HarnessDatasource[]): Record<string, unknown> {
  return Object.fromEntries(
    list.map((ds, i) => [
      ds.name,
      {
        id: i + 1,
        uid: ds.uid,
        type: ds.type,
        name: ds.name,
        meta: {
          id: ds.type,
          type: 'datasource',
          name: 'Prometheus',
          module: 'core:plugin/prometheus',
          baseUrl: 'public/plugins/prometheus',
          metrics: true,
          alerting: true,
          annotations: true,
          backend: true,
          // The plugin's plugin.json metadata (Grafana's frontendsettings.go copies it into each
          // datasource's `meta`); DataSourcePicker shows `info.logos.small` and `signature`.
          info: {
            author: { name: 'Grafana Labs' },
            description: 'Open source time series database & alerting',
            logos: {
              small: 'public/plugins/prometheus/img/prometheus_logo.svg',
              large: 'public/plugins/prometheus/img/prometheus_logo.svg',
            },
            links: [],
            screenshots: [],
            updated: '',
            version: '13.1.1',
          },
          signature: 'internal',
        },
        url: `/api/datasources/proxy/uid/${ds.uid}`,
        access: 'proxy',
        isDefault: ds.isDefault ?? false,
        jsonData: ds.jsonData,
        readOnly: true,
      },
    ]),
  );
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `now`, `now-5m` (s/m/h/d/w) or epoch milliseconds, as Grafana's /api/ds/query accepts `from`/`to`. */
export function parseGrafanaTime(value: unknown, nowMs: number): number {
  const s = String(value ?? 'now').trim();
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^now(?:-(\d+)([smhdw]))?$/.exec(s);
  if (!m) throw new Error(`unsupported time "${s}"`);
  return m[1] ? nowMs - Number(m[1]) * UNIT_MS[m[2]] : nowMs;
}

function parseDurationMs(s: string | undefined): number | undefined {
  const m = /^(\d+)(ms|s|m|h)$/.exec(s ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : UNIT_MS[m[2]]);
}

/** Grafana's interval rounding (gtime.RoundInterval), for the ranges a models list uses. */
const ROUNDING: Array<[number, number]> = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12_500, 10_000],
  [17_500, 15_000],
  [25_000, 20_000],
  [45_000, 30_000],
  [90_000, 60_000],
  [210_000, 120_000],
  [450_000, 300_000],
  [750_000, 600_000],
  [1_050_000, 900_000],
  [1_500_000, 1_200_000],
  [2_700_000, 1_800_000],
  [5_400_000, 3_600_000],
  [9_000_000, 7_200_000],
  [16_200_000, 10_800_000],
  [32_400_000, 21_600_000],
  [86_400_000, 43_200_000],
];
function roundInterval(ms: number): number {
  return ROUNDING.find(([limit]) => ms <= limit)?.[1] ?? 86_400_000;
}

/**
 * The step Grafana's Prometheus backend computes for a query without its own interval: the range
 * over maxDataPoints (100 when the request gives none), rounded, at least the datasource's
 * timeInterval (scrape interval).
 */
export function queryStepMs(fromMs: number, toMs: number, maxDataPoints: number, ds: HarnessDatasource): number {
  const minInterval = parseDurationMs(ds.jsonData.timeInterval) ?? 15_000;
  const calculated = roundInterval((toMs - fromMs) / maxDataPoints);
  const safe = roundInterval((toMs - fromMs) / 11_000);
  return Math.max(calculated < minInterval ? minInterval : calculated, safe);
}

/** Go's time.Duration.String() for whole milliseconds (what executedQueryString shows). */
function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Prometheus's label set as Grafana's default legend shows it: `name{a="x", b="y"}`. */
function legend(labels: Record<string, string>, expr: string): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  if (pairs.length === 0) return name ?? expr;
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

/** Prometheus writes sample values as strings: numbers, "NaN", "+Inf", "-Inf" (Number() misreads "+Inf"). */
function parsePromValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** JSON has no NaN/±Inf: Grafana writes null and lists the indices in data.entities. */
function encodeValues(values: number[]): { values: Array<number | null>; entity: Record<string, number[]> | null } {
  const entity: Record<string, number[]> = {};
  const out = values.map((v, i) => {
    if (Number.isFinite(v)) return v;
    const kind = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf';
    (entity[kind] ??= []).push(i);
    return null;
  });
  return { values: out, entity: Object.keys(entity).length ? entity : null };
}

/**
 * One range query's Prometheus matrix as Grafana's frames (pkg/promlib/converter/prom.go; golden
 * file pkg/promlib/converter/testdata/prom-query-range-frame.jsonc): one `timeseries-multi` frame per
 * series with a `Time` field and a `Value` field carrying the labels; no series gives one empty frame.
 */
export function rangeResultToFrames(refId: string, expr: string, stepMs: number, httpStatus: number, prom: PromResponse): DsQueryResult {
  if (prom.status !== 'success')
    return { status: httpStatus >= 400 ? httpStatus : 500, error: `${prom.errorType ?? 'error'}: ${prom.error ?? 'query failed'}` };
  const executedQueryString = `Expr: ${expr}\nStep: ${goDuration(stepMs)}`;
  const resultType = prom.data?.resultType;
  if (resultType !== 'matrix')
    return { status: 500, error: `the harness translates matrix results of range queries only, got ${String(resultType)}` };
  const series = prom.data?.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
  const frames: unknown[] = series.map((s, i) => {
    const name = legend(s.metric, expr);
    const encoded = encodeValues(s.values.map(([, v]) => parsePromValue(v)));
    return {
      schema: {
        refId,
        name,
        meta: {
          type: 'timeseries-multi',
          typeVersion: [0, 1],
          custom: { resultType: 'matrix' },
          ...(i === 0 ? { executedQueryString } : {}),
        },
        fields: [
          { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: stepMs } },
          { name: 'Value', type: 'number', typeInfo: { frame: 'float64' }, labels: s.metric, config: { displayNameFromDS: name } },
        ],
      },
      data: {
        values: [s.values.map(([t]) => Math.round(t * 1000)), encoded.values],
        ...(encoded.entity ? { entities: [null, encoded.entity] } : {}),
      },
    };
  });
  if (frames.length === 0) {
    frames.push({ schema: { refId, meta: { typeVersion: [0, 0], executedQueryString }, fields: [] }, data: { values: [] } });
  }
  return { status: httpStatus, frames };
}

/**
 * Grafana aligns a range query's start and end down to a multiple of the step before asking
 * Prometheus, so that panels refreshed a few seconds apart share their sample instants
 * (pkg/promlib/models/query.go `AlignTimeRange`; its time-zone offset only matters for steps of a
 * day or more, which the harness does not imitate).
 */
export function alignRange(fromMs: number, toMs: number, stepMs: number): { startS: number; endS: number } {
  const stepS = stepMs / 1000;
  return { startS: Math.floor(fromMs / 1000 / stepS) * stepS, endS: Math.floor(toMs / 1000 / stepS) * stepS };
}

export interface DsQueryResult {
  status: number;
  frames?: unknown[];
  error?: string;
}

/**
 * One instant query's Prometheus answer as Grafana's numeric-multi frames: one frame per series,
 * a `Time` field and a `Value` field carrying the series labels; an empty vector gives one frame
 * without fields, holding the metadata.
 */
export function instantResultToFrames(refId: string, expr: string, stepMs: number, httpStatus: number, prom: PromResponse): DsQueryResult {
  if (prom.status !== 'success')
    return { status: httpStatus >= 400 ? httpStatus : 500, error: `${prom.errorType ?? 'error'}: ${prom.error ?? 'query failed'}` };
  const executedQueryString = `Expr: ${expr}\nStep: ${goDuration(stepMs)}`;
  const resultType = prom.data?.resultType;
  if (resultType !== 'vector') return { status: 500, error: `the harness translates vector results only, got ${String(resultType)}` };
  const series = prom.data?.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
  const frames: unknown[] = series.map((s, i) => {
    const name = legend(s.metric, expr);
    const encoded = encodeValues([parsePromValue(s.value[1])]);
    return {
      schema: {
        refId,
        name,
        meta: { type: 'numeric-multi', typeVersion: [0, 1], custom: { resultType: 'vector' }, ...(i === 0 ? { executedQueryString } : {}) },
        fields: [
          { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: stepMs } },
          { name: 'Value', type: 'number', typeInfo: { frame: 'float64' }, labels: s.metric, config: { displayNameFromDS: name } },
        ],
      },
      data: {
        values: [[Math.round(s.value[0] * 1000)], encoded.values],
        ...(encoded.entity ? { entities: [null, encoded.entity] } : {}),
      },
    };
  });
  if (frames.length === 0) {
    frames.push({ schema: { refId, meta: { typeVersion: [0, 0], executedQueryString }, fields: [] }, data: { values: [] } });
  }
  return { status: httpStatus, frames };
}

interface DsQueryRequest {
  from?: unknown;
  to?: unknown;
  queries?: Array<{
    refId?: string;
    datasource?: { uid?: string; type?: string };
    expr?: string;
    instant?: boolean;
    range?: boolean;
    maxDataPoints?: number;
  }>;
}

export interface DsQueryOutcome {
  /** 200 when every query succeeded, else 400 (Grafana's status for a response holding an error). */
  status: number;
  body: { results: Record<string, DsQueryResult> } | { message: string };
  /** The instant every query was evaluated at (Grafana resolves `now` once per request), ms. */
  evaluatedAtMs: number;
  /** What each refId asked Prometheus: the API and its parameters (for tests to ask the same). */
  asked: Record<string, { api: 'query' | 'query_range'; params: Record<string, string> }>;
}

/**
 * POST /api/ds/query for Prometheus datasources (Grafana's pkg/api/ds_query.go `QueryMetricsV2`,
 * request body `dtos.MetricRequest`: `from`, `to`, `queries[]`): resolves the time range once, sends
 * each query to the datasource's Prometheus — `/api/v1/query` for an instant query,
 * `/api/v1/query_range` for a range query — with the datasource's httpMethod, and answers
 * `{results: {refId: {status, frames}}}` (backend.QueryDataResponse as JSON).
 */
export async function runDsQuery(
  raw: unknown,
  datasources: HarnessDatasource[],
  nowMs: number,
  beforeQuery: () => Promise<void> = async () => {},
): Promise<DsQueryOutcome> {
  const req = (raw ?? {}) as DsQueryRequest;
  const queries = Array.isArray(req.queries) ? req.queries : [];
  if (queries.length === 0) return { status: 400, body: { message: 'No queries found in query' }, evaluatedAtMs: nowMs, asked: {} };
  let fromMs: number;
  let toMs: number;
  try {
    fromMs = parseGrafanaTime(req.from ?? 'now-6h', nowMs);
    toMs = parseGrafanaTime(req.to ?? 'now', nowMs);
  } catch (err) {
    return { status: 400, body: { message: String((err as Error).message) }, evaluatedAtMs: nowMs, asked: {} };
  }
  const resolved = [];
  for (const q of queries) {
    const ds = datasources.find((d) => d.uid === q.datasource?.uid);
    if (!ds) return { status: 404, body: { message: 'Data source not found' }, evaluatedAtMs: toMs, asked: {} };
    resolved.push({ q, ds });
  }
  await beforeQuery();

  const results: Record<string, DsQueryResult> = {};
  const asked: DsQueryOutcome['asked'] = {};
  for (const { q, ds } of resolved) {
    const refId = q.refId ?? 'A';
    const expr = q.expr ?? '';
    const stepMs = queryStepMs(fromMs, toMs, q.maxDataPoints ?? 100, ds);
    // A query is a range query when it asks for `range` (the Prometheus query editor's default
    // "Range"/"Both"); Grafana's pkg/promlib/models/query.go Parse reads `range` and `instant`.
    const isRange = q.range === true;
    const method = ds.jsonData.httpMethod ?? 'POST';
    let params: URLSearchParams;
    let api: 'query' | 'query_range';
    if (isRange) {
      const { startS, endS } = alignRange(fromMs, toMs, stepMs);
      params = new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: String(stepMs / 1000) });
      api = 'query_range';
    } else {
      params = new URLSearchParams({ query: expr, time: String(toMs / 1000) });
      api = 'query';
    }
    asked[refId] = { api, params: Object.fromEntries(params) };
    try {
      const res =
        method === 'POST'
          ? await fetch(`${ds.url}/api/v1/${api}`, { method: 'POST', body: params })
          : await fetch(`${ds.url}/api/v1/${api}?${params.toString()}`);
      const prom = (await res.json()) as PromResponse;
      results[refId] = isRange
        ? rangeResultToFrames(refId, expr, stepMs, res.status, prom)
        : instantResultToFrames(refId, expr, stepMs, res.status, prom);
    } catch (err) {
      results[refId] = { status: 502, error: `Post "${ds.url}/api/v1/${api}": ${String(err)}` };
    }
  }
  const failed = Object.values(results).some((r) => r.error !== undefined);
  return { status: failed ? 400 : 200, body: { results }, evaluatedAtMs: toMs, asked };
}
