import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Deterministic JSON for a dashboard: panel ids are numbered in layout order (the SDK leaves them
 * unset, and data links and panel URLs rely on stable ids), two-space indent, trailing newline.
 */
export function renderDashboard(d: Dashboard): string {
  let id = 1;
  const panels = (d.panels ?? []).map((p) => ({ ...p, id: id++ }));
  return `${JSON.stringify({ ...d, id: null, panels }, null, 2)}\n`;
}
