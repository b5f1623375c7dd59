import { config } from '@grafana/runtime';

/**
 * What the signed-in Grafana user may do in the app. Viewers read; Editors and Admins act
 * (promote, archive, roll back). This only decides which buttons appear: the proxy route's
 * reqRole and the exporter's own token roles are what actually enforce it.
 */
export function canActOnRegistry(): boolean {
  const user = config.bootData?.user;
  if (!user) return false;
  if (user.isGrafanaAdmin) return true;
  return user.orgRole === 'Editor' || user.orgRole === 'Admin';
}
