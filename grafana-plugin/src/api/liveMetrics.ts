import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { asArray, asObject } from './json';

import { LIVE_QUERIES } from './liveQueries';
import { samplesOf } from './dsFrames';
import { TRIAGE_QUERIES, type TriageQuery, type TriageSamples } from '../health/queries';

export { LIVE_QUERIES };

export type LiveMetricName = keyof typeof LIVE_QUERIES;
export type LiveMetrics = Record<string, Partial<Record<LiveMetricName, number>>>;

export type DatasourceChoice = { uid: string; name: string } | null;

/** The configured datasource, else the only/first Prometheus one Grafana knows; null if none. */
export function choosePrometheus(configuredUid: string | undefined): DatasourceChoice {
  let list: Array<{ uid: string; name: string }> = [];
  try {
    list = getDataSourceSrv().getList({ type: 'prometheus' });
  } catch {
    return null;
  }
  if (configuredUid) {
    const found = list.find((ds) => ds.uid === configuredUid);
    return found ? { uid: found.uid, name: found.name } : null;
  }
  const first = list[0];
  return first ? { uid: first.uid, name: first.name } : null;
}

/** Takes the last value of each series frame of an instant query, keyed by its `model` label. */
export function valuesByModel(response: unknown, refId: string): Record<string, number> {
  const out: Record<string, number> = {};
  const frames = asArray(asObject(asObject(asObject(response).results)[refId]).frames);
  for (const frame of frames) {
    const fields = asArray(asObject(asObject(frame).schema).fields);
    const values = asArray(asObject(asObject(frame).data).values);
    fields.forEach((field, i) => {
      const f = asObject(field);
      const model = asObject(f.labels).model;
      if (f.type !== 'number' || typeof model !== 'string') return;
      const column = asArray(values[i]);
      const last = column[column.length - 1];
      if (typeof last === 'number' && Number.isFinite(last)) out[model] = last;
    });
  }
  return out;
}

/** The live columns and the triage samples, from one /api/ds/query request of instant queries. */
export async function queryLiveMetrics(datasourceUid: string): Promise<{ metrics: LiveMetrics; triage: TriageSamples }> {
  const names = Object.keys(LIVE_QUERIES) as LiveMetricName[];
  const triageNames = Object.keys(TRIAGE_QUERIES) as TriageQuery[];
  const exprs: Record<string, string> = { ...LIVE_QUERIES, ...TRIAGE_QUERIES };
  const response = await lastValueFrom(
    getBackendSrv().fetch<unknown>({
      url: '/api/ds/query',
      method: 'POST',
      showErrorAlert: false,
      data: {
        from: 'now-5m',
        to: 'now',
        queries: Object.entries(exprs).map(([refId, expr]) => ({
          refId,
          datasource: { uid: datasourceUid, type: 'prometheus' },
          expr,
          instant: true,
          range: false,
        })),
      },
    }),
  );
  const metrics: LiveMetrics = {};
  for (const name of names) {
    for (const [model, value] of Object.entries(valuesByModel(response.data, name))) {
      (metrics[model] ??= {})[name] = value;
    }
  }
  const triage = Object.fromEntries(triageNames.map((n) => [n, samplesOf(response.data, n)])) as TriageSamples;
  return { metrics, triage };
}
