import type { DataFrame } from '@grafana/data';
import type { AuditEntry, Transition } from '../api/types';

/** Something that happened to the model, drawn as an annotation on every incident chart. */
export interface IncidentEvent {
  /** Epoch milliseconds. */
  at: number;
  /** For alerts: the last instant the alert was seen active (epoch ms). */
  endAt?: number;
  kind: 'transition' | 'rollback' | 'alert' | 'reference';
  title: string;
  detail: string;
}

/** Stage moves and rollbacks from the registry's transition history, inside [fromMs, toMs]. */
export function registryEvents(transitions: Transition[], fromMs: number, toMs: number): IncidentEvent[] {
  return transitions
    .map((t) => ({ t, at: Date.parse(t.at) }))
    .filter(({ at }) => Number.isFinite(at) && at >= fromMs && at <= toMs)
    .map(({ t, at }) => ({
      at,
      kind: t.kind === 'rollback' ? ('rollback' as const) : ('transition' as const),
      title: t.kind === 'rollback' ? `rollback: v${t.version} back to ${t.to}` : `v${t.version} ${t.from} → ${t.to}`,
      detail: `${t.actor}${t.reason ? `: ${t.reason}` : ''}${t.forced ? ' (forced past the gates)' : ''}`,
    }))
    .sort((a, b) => a.at - b.at);
}

/**
 * Reference (training) sample uploads inside [fromMs, toMs], from the audit log: the exporter
 * records each accepted upload as a `version.reference` entry; drift is measured against the
 * new sample from then on, so the drift charts may step there.
 */
export function referenceEvents(entries: AuditEntry[], fromMs: number, toMs: number): IncidentEvent[] {
  return entries
    .filter((e) => e.action === REFERENCE_ACTION)
    .map((e) => ({ e, at: Date.parse(e.at) }))
    .filter(({ at }) => Number.isFinite(at) && at >= fromMs && at <= toMs)
    .map(({ e, at }) => ({ at, kind: 'reference' as const, title: describeChange(e) ?? '', detail: e.actor }))
    .sort((a, b) => a.at - b.at);
}

/** One alert's activity in the range: when it was first and last seen, and whether it still fires. */
export interface AlertSpan {
  alertname: string;
  severity: string;
  version: string;
  state: 'firing' | 'resolved';
  startMs: number;
  endMs: number;
}

/**
 * Firing periods from Prometheus's `ALERTS` range series (value 1 at every evaluation while the
 * alert is active; https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/).
 * A gap longer than two steps ends a period. A period whose last point is within two steps of the
 * range's end is still firing; an earlier one was resolved (or the range ends before it resumed).
 */
export function alertSpans(frames: DataFrame[], stepMs: number, rangeEndMs: number): AlertSpan[] {
  const spans: AlertSpan[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === 'time');
    const value = frame.fields.find((f) => f.type === 'number');
    const labels = value?.labels ?? {};
    if (!time || !value || labels.alertstate !== 'firing') continue;
    const times: number[] = [];
    for (let i = 0; i < frame.length; i++)
      if (value.values[i] !== null && value.values[i] !== undefined) times.push(Number(time.values[i]));
    let start: number | null = null;
    let last = 0;
    const close = () => {
      if (start === null) return;
      spans.push({
        alertname: labels.alertname ?? '',
        severity: labels.severity ?? '',
        version: labels.version ?? '',
        state: rangeEndMs - last <= 2 * stepMs ? 'firing' : 'resolved',
        startMs: start,
        endMs: last,
      });
    };
    for (const t of times) {
      if (start !== null && t - last > 2 * stepMs) {
        close();
        start = null;
      }
      if (start === null) start = t;
      last = t;
    }
    close();
  }
  return spans.sort((a, b) => a.startMs - b.startMs || a.alertname.localeCompare(b.alertname));
}

export function alertEvents(spans: AlertSpan[]): IncidentEvent[] {
  return spans.map((s) => ({
    at: s.startMs,
    endAt: s.endMs,
    kind: 'alert',
    title: `${s.alertname}${s.version ? ` v${s.version}` : ''} ${s.state === 'firing' ? 'firing' : 'resolved'}`,
    detail: s.severity,
  }));
}

/** The exporter's audit action for an accepted reference upload (store/reference-store.ts). */
export const REFERENCE_ACTION = 'version.reference';

const count = (n: unknown, unit: string) => `${String(n ?? '?')} ${unit}${n === 1 ? '' : 's'}`;

/** What an audit entry changed, in words; null for actions that do not change the model. */
export function describeChange(e: AuditEntry): string | null {
  const v = e.version ? `v${e.version}` : '';
  switch (e.action) {
    case 'model.create':
      return 'model registered';
    case 'version.register':
      return `${v} registered`;
    case 'version.transition':
      return `${v} moved to ${String(e.after.stage ?? '?')}`;
    case 'version.transition.forced':
      return `${v} forced to ${String(e.after.stage ?? '?')} past the quality gates`;
    case 'model.rollback':
      return `rolled back: ${v} in production, v${String(e.after.archived_version ?? '?')} archived`;
    case 'model.gates.update':
      return 'quality gates changed';
    case REFERENCE_ACTION:
      return `${v} reference sample ${e.before ? 'replaced' : 'uploaded'} (${count(e.after.features, 'feature')}, ${count(e.after.samples, 'sample')})`;
    default:
      return null;
  }
}

export interface Change {
  id: number;
  at: number;
  what: string;
  actor: string;
  reason: string;
}

/**
 * The model's audited changes from `marginMs` before the range to its end, newest first: an
 * incident often starts with a change made shortly before the chart's left edge.
 */
export function changesAround(entries: AuditEntry[], fromMs: number, toMs: number, marginMs: number): Change[] {
  const out: Change[] = [];
  for (const e of entries) {
    const at = Date.parse(e.at);
    const what = describeChange(e);
    if (what === null || !Number.isFinite(at) || at < fromMs - marginMs || at > toMs) continue;
    out.push({ id: e.id, at, what, actor: e.actor, reason: e.reason ?? '' });
  }
  return out.sort((a, b) => b.at - a.at || b.id - a.id);
}
