import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { asArray, asObject } from './json';
import type { Sample } from '../health/queries';

/**
 * The latest value of every numeric series in one query's frames of an /api/ds/query answer:
 * `results[refId].frames[]`, each frame's `schema.fields[i]` (type and labels) and
 * `data.values[i]` (the column), as Grafana's Prometheus backend returns them
 * (https://grafana.com/developers/plugin-tools/key-concepts/data-frames). Non-finite values
 * (NaN from 0/0, ±Inf from histogram_quantile) are dropped: they are "no answer", not numbers.
 */
export function samplesOf(response: unknown, refId: string): Sample[] {
  const out: Sample[] = [];
  const frames = asArray(asObject(asObject(asObject(response).results)[refId]).frames);
  for (const frame of frames) {
    const fields = asArray(asObject(asObject(frame).schema).fields);
    const values = asArray(asObject(asObject(frame).data).values);
    fields.forEach((field, i) => {
      const f = asObject(field);
      if (f.type !== 'number') return;
      const column = asArray(values[i]);
      const last = column[column.length - 1];
      if (typeof last !== 'number' || !Number.isFinite(last)) return;
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(asObject(f.labels))) if (typeof v === 'string') labels[k] = v;
      out.push({ labels, value: last });
    });
  }
  return out;
}

/**
 * Instant queries through Grafana's datasource query API (`POST /api/ds/query`, one entry per
 * refId with `instant: true`, over the last five minutes as Grafana's stat panels ask). Returns
 * the raw answer for `samplesOf`; the one request behind the models list and the version numbers.
 */
export async function queryInstant(datasourceUid: string, exprs: Record<string, string>): Promise<unknown> {
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
  return response.data;
}
