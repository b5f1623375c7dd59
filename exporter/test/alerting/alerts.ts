/** Alertmanager v4 webhook payloads as Alertmanager sends them, for tests. */
export interface AlertInit {
  status?: 'firing' | 'resolved';
  labels: Record<string, string>;
  fingerprint: string;
  startsAt?: string;
}

export function alertmanagerPayload(alerts: AlertInit[], status: 'firing' | 'resolved' = 'firing') {
  return {
    version: '4',
    groupKey: '{}/{action="rollback"}:{alertname="ModelAccuracyDropped"}',
    truncatedAlerts: 0,
    status,
    receiver: 'modelwatch-rollback',
    groupLabels: { alertname: 'ModelAccuracyDropped' },
    commonLabels: { action: 'rollback' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: a.labels,
      annotations: { summary: `accuracy of ${a.labels.model} ${a.labels.version} below 0.8` },
      startsAt: a.startsAt ?? '2026-01-02T03:04:05.123456789Z',
      endsAt: a.status === 'resolved' ? '2026-01-02T04:00:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=...',
      fingerprint: a.fingerprint,
    })),
  };
}
