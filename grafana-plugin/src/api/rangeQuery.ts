import { dataFrameFromJSON, type DataFrame, type DataFrameJSON } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { asArray, asObject } from './json';

export interface RangeRequest {
  /** Epoch milliseconds, as Grafana's time range holds them. */
  fromMs: number;
  toMs: number;
  /** Points per series the chart can show (its width in pixels, as Grafana's panels pass it). */
  maxDataPoints: number;
}

/**
 * Range queries through Grafana's datasource query API (`POST /api/ds/query`, the request
 * Grafana's own panels send: `from`/`to` as epoch-millisecond strings, one entry per query with
 * `range: true`), answered with one frame per series (Grafana's Prometheus backend, pkg/promlib).
 * Returns the frames per refId, decoded by @grafana/data's `dataFrameFromJSON` (which restores
 * NaN/±Inf from `data.entities`). A query that failed throws with Prometheus's message.
 */
export async function queryRange(
  datasourceUid: string,
  req: RangeRequest,
  exprs: Record<string, string>,
): Promise<Record<string, DataFrame[]>> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<unknown>({
      url: '/api/ds/query',
      method: 'POST',
      showErrorAlert: false,
      data: {
        from: String(req.fromMs),
        to: String(req.toMs),
        queries: Object.entries(exprs).map(([refId, expr]) => ({
          refId,
          datasource: { uid: datasourceUid, type: 'prometheus' },
          expr,
          range: true,
          instant: false,
          maxDataPoints: req.maxDataPoints,
        })),
      },
    }),
  );
  const results = asObject(asObject(response.data).results);
  const out: Record<string, DataFrame[]> = {};
  for (const refId of Object.keys(exprs)) {
    const result = asObject(results[refId]);
    if (typeof result.error === 'string') throw new Error(`${refId}: ${result.error}`);
    out[refId] = asArray(result.frames)
      .map((f) => dataFrameFromJSON(f as DataFrameJSON))
      .filter((f) => f.fields.length > 1);
  }
  return out;
}
