import { getDataSourceSrv } from '@grafana/runtime';

import { LIVE_QUERIES } from './liveQueries';
import { queryInstant, samplesOf } from './dsFrames';
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
  for (const { labels, value } of samplesOf(response, refId)) if (labels.model !== undefined) out[labels.model] = value;
  return out;
}

/** The live columns and the triage samples, from one /api/ds/query request of instant queries. */
export async function queryLiveMetrics(datasourceUid: string): Promise<{ metrics: LiveMetrics; triage: TriageSamples }> {
  const names = Object.keys(LIVE_QUERIES) as LiveMetricName[];
  const triageNames = Object.keys(TRIAGE_QUERIES) as TriageQuery[];
  const exprs: Record<string, string> = { ...LIVE_QUERIES, ...TRIAGE_QUERIES };
  const data = await queryInstant(datasourceUid, exprs);
  const metrics: LiveMetrics = {};
  for (const name of names) {
    for (const [model, value] of Object.entries(valuesByModel(data, name))) {
      (metrics[model] ??= {})[name] = value;
    }
  }
  const triage = Object.fromEntries(triageNames.map((n) => [n, samplesOf(data, n)])) as TriageSamples;
  return { metrics, triage };
}
