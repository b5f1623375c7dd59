import { dateTime, toUtc, type DateTime } from '@grafana/data';

/**
 * A `from`/`to` URL value as Grafana reads it (the rules of @grafana/scenes
 * `packages/scenes/src/utils/parseUrlParam.ts`, which Grafana's dashboards use): relative
 * expressions (`now-1h`) stay text; `YYYYMMDD` and `YYYYMMDDTHHmmss` are UTC dates; digits are
 * epoch milliseconds; anything else is tried as an ISO date. Null when it is none of these.
 */
export function parseUrlTime(value: string | null): string | DateTime | null {
  if (!value) return null;
  if (value.includes('now')) return value;
  if (value.length === 8) {
    const d = toUtc(value, 'YYYYMMDD');
    if (d.isValid()) return d;
  } else if (value.length === 15) {
    const d = toUtc(value, 'YYYYMMDDTHHmmss');
    if (d.isValid()) return d;
  }
  if (/^\d+$/.test(value)) return toUtc(Number(value));
  const d = dateTime(value);
  return d.isValid() ? d : null;
}
