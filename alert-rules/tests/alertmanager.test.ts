/** The Alertmanager configuration, checked and routed by the real amtool. */
import { describe, expect, it } from 'vitest';
import { ALERTMANAGER_CONFIG, AMTOOL, requireBinary, run } from './helpers/tools.js';

const amtool = requireBinary(AMTOOL, 'prometheus-alertmanager');

const ROUTES: readonly { why: string; labels: Record<string, string>; receivers: string }[] = [
  {
    why: 'a rollback alert goes to the exporter and to the owning team pager',
    labels: {
      alertname: 'ModelwatchAccuracyCollapse',
      action: 'rollback',
      severity: 'critical',
      team: 'risk',
      model: 'credit',
      version: 'v7',
    },
    receivers: 'exporter-rollback,risk-pager',
  },
  {
    why: 'a rollback label on a non-critical alert does not roll back',
    labels: { alertname: 'ModelwatchAccuracyDrop', action: 'rollback', severity: 'warning', team: 'growth', model: 'churn' },
    receivers: 'growth-tickets',
  },
  {
    why: 'critical pages the team',
    labels: { alertname: 'ModelwatchFeatureDrift', severity: 'critical', team: 'growth', model: 'churn' },
    receivers: 'growth-pager',
  },
  {
    why: 'warning files a team ticket',
    labels: { alertname: 'ModelwatchFeatureDrift', severity: 'warning', team: 'growth', model: 'churn' },
    receivers: 'growth-tickets',
  },
  {
    why: 'info goes to the team feed',
    labels: { alertname: 'ModelwatchRetrainingRecommended', severity: 'info', team: 'risk', model: 'credit' },
    receivers: 'risk-info',
  },
  {
    why: 'warning for risk',
    labels: { alertname: 'ModelwatchPredictionErrorsHigh', severity: 'warning', team: 'risk' },
    receivers: 'risk-tickets',
  },
  {
    why: 'exporter down pages the platform team',
    labels: { alertname: 'ModelwatchExporterDown', severity: 'critical', team: 'ml-platform' },
    receivers: 'ml-platform-pager',
  },
  {
    why: 'unassigned models fall to the platform team',
    labels: { alertname: 'ModelwatchFeatureDrift', severity: 'warning', team: 'unassigned' },
    receivers: 'ml-platform-tickets',
  },
  {
    why: 'unknown team, critical',
    labels: { alertname: 'ModelwatchNoPredictions', severity: 'critical', team: 'search' },
    receivers: 'ml-platform-pager',
  },
  {
    why: 'platform info',
    labels: { alertname: 'ModelwatchRetrainingRecommended', severity: 'info', team: 'unassigned' },
    receivers: 'ml-platform-info',
  },
];

describe('alertmanager.yml', () => {
  it('passes amtool check-config', async () => {
    const result = await run(amtool, ['check-config', ALERTMANAGER_CONFIG]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).toMatch(/3 inhibit rules/);
  });

  it.each(ROUTES.map((r) => [r.why, r] as const))('routes: %s', async (_why, r) => {
    const labels = Object.entries(r.labels).map(([k, v]) => `${k}=${v}`);
    const result = await run(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_CONFIG}`,
      `--verify.receivers=${r.receivers}`,
      ...labels,
    ]);
    expect(result.stdout.trim(), result.stderr).toBe(r.receivers);
    expect(result.code).toBe(0);
  });

  it('notices a wrong expectation (amtool exits non-zero)', async () => {
    const result = await run(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_CONFIG}`,
      '--verify.receivers=growth-pager',
      'severity=warning',
      'team=growth',
    ]);
    expect(result.code).not.toBe(0);
  });
});
