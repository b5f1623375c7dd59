import { DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { modelwatchDashboardsLink } from './links.js';

/** Common frame of every modelwatch dashboard: fixed uid, tag, time range, refresh, shared crosshair. */
export function modelwatchDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['modelwatch'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .link(modelwatchDashboardsLink());
}
