/**
 * How the triage view names things; free of React and @grafana/* so the browser test formats
 * what it reads from Prometheus the same way.
 */

/** Header titles of the triage columns, before the live ones. */
export const TRIAGE_COLUMNS = ['Health', 'Model', 'Why', 'Worst version', 'Team', 'Production'] as const;

/** A firing ALERTS series as the list names it: `AlertName severity vVersion feature`. */
export function alertText(a: { labels: Record<string, string> }): string {
  const l = a.labels;
  return [l.alertname, l.severity, l.version && `v${l.version}`, l.feature].filter(Boolean).join(' ');
}

/** A version's share of its model's predictions in the window. */
export function shareText(v: number | undefined): string {
  return v === undefined ? 'no traffic' : `${(v * 100).toFixed(0)}% of traffic`;
}
