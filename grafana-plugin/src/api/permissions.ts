import { config } from '@grafana/runtime';

function orgRole(): 'Viewer' | 'Editor' | 'Admin' | 'GrafanaAdmin' | null {
  const user = config.bootData?.user;
  if (!user) return null;
  if (user.isGrafanaAdmin) return 'GrafanaAdmin';
  return user.orgRole === 'Editor' || user.orgRole === 'Admin' ? user.orgRole : 'Viewer';
}

/**
 * What the signed-in Grafana user may do in the app. Viewers read; Editors and Admins act
 * (promote, archive, roll back, archive a whole model: the exporter's `operator` role). This only
 * decides which buttons appear: the proxy route's reqRole and the exporter's own token roles are
 * what actually enforce it.
 */
export function canActOnRegistry(): boolean {
  const role = orgRole();
  return role === 'Editor' || role === 'Admin' || role === 'GrafanaAdmin';
}

/**
 * Deleting a model is the exporter's `admin` action, so only Grafana Admins see it; plugin.json's
 * DELETE route has reqRole Admin, and the exporter still refuses it unless the app's token is admin.
 */
export function canDeleteModels(): boolean {
  const role = orgRole();
  return role === 'Admin' || role === 'GrafanaAdmin';
}
