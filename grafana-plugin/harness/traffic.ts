import { until, type RunningExporter, type RunningPrometheus } from '@modelwatch/test-support';

export interface LiveTraffic {
  model: string;
  version: string;
  /** The ingest token the "model server" used; it must never reach the browser either. */
  ingestToken: string;
  /** Totals over both batches. */
  predictions: number;
  errors: number;
  labeled: number;
  correct: number;
  /** The second batch alone: what rate() over the scrapes sees as new. */
  secondBatch: { predictions: number; errors: number };
}

/** Prometheus scrapes every second: poll a few times per scrape, for up to 20 s. */
const POLL = { timeoutMs: 20_000, intervalMs: 200 };
const MODEL = 'fraud_detector';
const VERSION = '1.1';

/** A batch of fraud_detector 1.1 predictions (score = P(fraud), so positive_class is "fraud"); every 10th one failed at the model server. */
function batch(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${i}`;
    // Latencies from 3 ms to ~190 ms, so the p95 lands in a middle bucket.
    const latency_ms = 3 + ((i * 37) % 188);
    if (i % 10 === 0) return { id, features: { amount: 10 + i }, error: 'timeout', latency_ms };
    const fraud = i % 4 === 0;
    return { id, features: { amount: 10 + i }, prediction: fraud ? 'fraud' : 'legit', score: fraud ? 0.9 : 0.2, latency_ms };
  });
}

/**
 * Real traffic for the live columns of the models list: predictions (some failed) for the
 * production version and ground truth for the rest, sent through the ingest API with an
 * `ingest` token, in two batches with Prometheus scraping in between — a counter's first sample
 * is its baseline, so only the second batch shows up in rate(). Returns once Prometheus holds
 * the second batch, its labels, and enough samples after it for rate() to be steady.
 */
export async function seedLiveTraffic(exporter: RunningExporter, prometheus: RunningPrometheus): Promise<LiveTraffic> {
  const created = await exporter.api('POST', '/api/v1/tokens', { name: 'model-server', role: 'ingest' });
  const ingestToken = (created.data as { token?: unknown }).token;
  if (created.status !== 201 && created.status !== 200) throw new Error(`traffic: token -> HTTP ${created.status}`);
  if (typeof ingestToken !== 'string') throw new Error('traffic: token response has no token');
  const send = async (path: string, body: unknown) => {
    const r = await exporter.api('POST', path, body, ingestToken);
    if (r.status !== 200) throw new Error(`traffic: POST ${path} -> HTTP ${r.status} ${JSON.stringify(r.data)}`);
  };
  const sel = `{model="${MODEL}"}`;
  const total = () => prometheus.scalar(`sum(modelwatch_predictions_total${sel})`);

  const first = batch('a', 20);
  await send('/api/v1/predictions', { model: MODEL, version: VERSION, positive_class: 'fraud', events: first });
  await until('the first batch in Prometheus', async () => ((await total()) === first.length ? true : undefined), POLL);

  const second = batch('b', 50);
  await send('/api/v1/predictions', { model: MODEL, version: VERSION, positive_class: 'fraud', events: second });
  // Ground truth for every prediction that did not fail; every 7th one was wrong.
  const answered = [...first, ...second].filter((e): e is (typeof first)[number] & { prediction: string } => 'prediction' in e);
  const labels = answered.map((e, i) => ({ id: e.id, label: i % 7 === 6 ? (e.prediction === 'fraud' ? 'legit' : 'fraud') : e.prediction }));
  await send('/api/v1/feedback', { model: MODEL, events: labels });

  const predictions = first.length + second.length;
  await until(
    'the second batch and its labels in Prometheus',
    async () =>
      (await total()) === predictions && (await prometheus.scalar(`sum(modelwatch_model_window_labeled${sel})`)) === labels.length
        ? true
        : undefined,
    POLL,
  );
  const samples = () => prometheus.scalar(`max(count_over_time(modelwatch_predictions_total${sel}[5m]))`);
  const seen = (await samples()) ?? 0;
  await until('two more scrapes', async () => (((await samples()) ?? 0) >= seen + 2 ? true : undefined), POLL);

  const errors = (events: Array<{ error?: string }>) => events.filter((e) => e.error !== undefined).length;
  return {
    model: MODEL,
    version: VERSION,
    ingestToken,
    predictions,
    errors: errors(first) + errors(second),
    labeled: labels.length,
    correct: labels.filter((l, i) => l.label === answered[i].prediction).length,
    secondBatch: { predictions: second.length, errors: errors(second) },
  };
}
