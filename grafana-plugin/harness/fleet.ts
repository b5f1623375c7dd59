import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { until, type RunningExporter, type RunningPrometheus } from '@modelwatch/test-support';

/**
 * The triage fleet of issue 16, next to fraud_detector and churn_model from seed.ts: one model
 * per way of being healthy or not, with traffic that makes it so.
 *
 * | model          | what happens                                           | expected health |
 * | -------------- | ------------------------------------------------------ | --------------- |
 * | healthy_model  | v1 production, accuracy 0.95 on 70 labels              | ok              |
 * | gate_model     | v1 production, accuracy 0.60 (validation 0.90)         | critical        |
 * | canary_model   | v1 production fine; v2 staging canary accuracy 0.60    | warning         |
 * | drift_model    | three features far from their reference                | critical        |
 * | quiet_model    | v1 production, no traffic                              | no data         |
 */
export const FLEET = {
  healthy: 'healthy_model',
  gate: 'gate_model',
  canary: 'canary_model',
  drift: 'drift_model',
  quiet: 'quiet_model',
} as const;

const DRIFT_FEATURES = ['amount', 'age', 'balance'] as const;

interface Traffic {
  model: string;
  version: string;
  /** Predictions sent; each gets a label. */
  n: number;
  /** Fraction answered right. */
  accuracy: number;
  /** Feature values of event i. */
  features?: (i: number) => Record<string, number>;
  labeled?: boolean;
}

const PLAN: Traffic[] = [
  { model: FLEET.healthy, version: '1', n: 70, accuracy: 0.95 },
  // 0.60, not 0.70: the accuracy alerts fire on the upper end of the Wilson interval, which for
  // 0.70 on these labels sits on the collapse threshold (0.75) and would flap.
  { model: FLEET.gate, version: '1', n: 70, accuracy: 0.6 },
  { model: FLEET.canary, version: '1', n: 70, accuracy: 0.95 },
  { model: FLEET.canary, version: '2', n: 70, accuracy: 0.6 },
  {
    model: FLEET.drift,
    version: '1',
    n: 200,
    accuracy: 1,
    labeled: false,
    // The reference is 0..99 for each feature; live traffic is 200..299.
    features: (i) => Object.fromEntries(DRIFT_FEATURES.map((f) => [f, 200 + (i % 100)])),
  },
];

async function ok(p: Promise<{ status: number; data: unknown }>, what: string): Promise<unknown> {
  const r = await p;
  if (r.status >= 300) throw new Error(`fleet: ${what} -> HTTP ${r.status} ${JSON.stringify(r.data)}`);
  return r.data;
}

/** Registers the fleet (admin token) and puts v1 (and canary_model v2 in staging) in place. */
export async function seedFleetRegistry(exporter: RunningExporter): Promise<void> {
  const post = (p: string, body: unknown) => ok(exporter.api('POST', p, body), `POST ${p}`);
  const validation: Record<string, number> = {
    healthy_model: 0.96,
    gate_model: 0.9,
    canary_model: 0.95,
    drift_model: 0.93,
    quiet_model: 0.91,
  };
  for (const model of Object.values(FLEET)) {
    await post('/api/v1/models', { name: model, description: `triage fleet: ${model}`, team: 'triage' });
    await post(`/api/v1/models/${model}/versions`, { version: '1', metrics: { accuracy: validation[model], latency_ms: 20 } });
    await post(`/api/v1/models/${model}/versions/1/transitions`, { to: 'staging', reason: 'validated' });
    await post(`/api/v1/models/${model}/versions/1/transitions`, { to: 'production', reason: 'first release' });
  }
  await post(`/api/v1/models/${FLEET.canary}/versions`, { version: '2', metrics: { accuracy: 0.95, latency_ms: 20 } });
  await post(`/api/v1/models/${FLEET.canary}/versions/2/transitions`, { to: 'staging', reason: 'canary' });
  const reference = Object.fromEntries(DRIFT_FEATURES.map((f) => [f, Array.from({ length: 500 }, (_, i) => i % 100)]));
  await ok(exporter.api('PUT', `/api/v1/models/${FLEET.drift}/versions/1/reference`, { features: reference }), 'reference');
}

function events(t: Traffic, from: number, to: number) {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      id: `${t.model}-${t.version}-${i}`,
      features: t.features?.(i) ?? { x: i },
      prediction: 'yes',
      score: 0.8,
      latency_ms: 20,
    };
  });
}

/**
 * Sends the fleet's predictions and labels in two batches with a scrape between them (a
 * counter's first sample is its baseline: only the second batch shows in rate()), and waits
 * until Prometheus holds all of it and the drift gauges.
 */
export async function seedFleetTraffic(exporter: RunningExporter, prometheus: RunningPrometheus, ingestToken: string): Promise<void> {
  const send = async (p: string, body: unknown) => ok(exporter.api('POST', p, body, ingestToken), `POST ${p}`);
  const firstBatch = 10;
  const sendRange = async (from: (t: Traffic) => number, to: (t: Traffic) => number) => {
    for (const t of PLAN) {
      const batch = events(t, from(t), to(t));
      await send('/api/v1/predictions', { model: t.model, version: t.version, positive_class: 'yes', events: batch });
      if (t.labeled === false) continue;
      const right = Math.round(t.accuracy * t.n);
      // Events 0..right-1 are answered right ('yes'), the rest wrong.
      await send('/api/v1/feedback', {
        model: t.model,
        events: batch.map((e, k) => ({ id: e.id, label: from(t) + k < right ? 'yes' : 'no' })),
      });
    }
  };
  // canary v2's training sample, uploaded by the ingest pipeline before its traffic: the same x
  // as its traffic (no drift); an audited change the incident view lists and marks.
  const canaryX = Array.from({ length: PLAN.find((t) => t.model === FLEET.canary && t.version === '2')?.n ?? 0 }, (_, i) => i);
  await ok(
    exporter.api('PUT', `/api/v1/models/${FLEET.canary}/versions/2/reference`, { features: { x: canaryX } }, ingestToken),
    'canary reference',
  );
  const total = PLAN.reduce((a, t) => a + t.n, 0);
  const seen = () => prometheus.scalar(`sum(modelwatch_predictions_total{model=~"${Object.values(FLEET).join('|')}"})`);
  await sendRange(
    () => 0,
    () => firstBatch,
  );
  await until('the fleet’s first batch in Prometheus', async () => ((await seen()) === firstBatch * PLAN.length ? true : undefined), {
    timeoutMs: 20_000,
    intervalMs: 200,
  });
  await sendRange(
    () => firstBatch,
    (t) => t.n,
  );
  await until(
    'the fleet’s traffic and drift in Prometheus',
    async () =>
      (await seen()) === total &&
      (await prometheus.scalar(`count(modelwatch_feature_psi{model="${FLEET.drift}"} >= 0.25)`)) === DRIFT_FEATURES.length
        ? true
        : undefined,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

/**
 * The generated alerting and recording rules (alert-rules/generated) as Prometheus loads them,
 * with every `for:` set to 0s so a test sees alerts fire within seconds instead of 10-30
 * minutes; expressions and thresholds are untouched. Returns the rule file paths.
 */
export function rulesWithoutFor(generatedDir: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-rules-'));
  return fs
    .readdirSync(generatedDir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => {
      const doc = parse(fs.readFileSync(path.join(generatedDir, f), 'utf8')) as {
        groups: Array<{ rules: Array<Record<string, unknown>> }>;
      };
      for (const g of doc.groups) for (const r of g.rules) if ('for' in r) r.for = '0s';
      const out = path.join(dir, f);
      fs.writeFileSync(out, stringify(doc));
      return out;
    });
}
