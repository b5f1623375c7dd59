import { fraudDetectorLineage } from '../src/test/lineage';
import type { RunningExporter } from '@modelwatch/test-support';

async function ok(p: Promise<{ status: number; data: unknown }>, what: string): Promise<Record<string, unknown>> {
  const r = await p;
  if (r.status >= 300) throw new Error(`seed: ${what} -> HTTP ${r.status} ${JSON.stringify(r.data)}`);
  return r.data as Record<string, unknown>;
}

function version(v: string, accuracy: number, latency: number, parent?: string) {
  return {
    version: v,
    metrics: { accuracy, latency_ms: latency },
    lineage: fraudDetectorLineage(v, `transactions-2026-${v}`, parent),
  };
}

/**
 * The fraud_detector story as the plugin's tests need it: 1.1 in production, 1.0 and 1.3 in
 * staging (1.0 fails the production accuracy gate, 1.3 passes), plus a second model. Returns
 * an operator token (what the Grafana app is configured with), created through the API.
 */
export async function seedRegistry(exporter: RunningExporter): Promise<{ operatorToken: string }> {
  const post = (p: string, body: unknown) => ok(exporter.api('POST', p, body), `POST ${p}`);
  await post('/api/v1/models', { name: 'fraud_detector', description: 'card fraud scoring', team: 'risk' });
  await post('/api/v1/models/fraud_detector/versions', version('1.0', 0.82, 45));
  await post('/api/v1/models/fraud_detector/versions', version('1.1', 0.87, 40, '1.0'));
  await post('/api/v1/models/fraud_detector/versions', version('1.3', 0.91, 30, '1.1'));
  const move = (v: string, to: string, reason: string) => post(`/api/v1/models/fraud_detector/versions/${v}/transitions`, { to, reason });
  await move('1.0', 'staging', 'offline validation passed');
  await move('1.1', 'staging', 'offline validation passed');
  await move('1.1', 'production', 'beats 1.0 on accuracy and latency');
  await move('1.3', 'staging', 'offline validation passed');
  await post('/api/v1/models', { name: 'churn_model', description: 'who leaves next month', team: 'growth' });
  await post('/api/v1/models/churn_model/versions', { version: '2.0', metrics: { accuracy: 0.9, latency_ms: 12 } });
  const token = await post('/api/v1/tokens', { name: 'grafana', role: 'operator' });
  if (typeof token.token !== 'string') throw new Error('seed: token response has no token');
  return { operatorToken: token.token };
}
