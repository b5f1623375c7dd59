/**
 * Request body examples of the OpenAPI document, by operationId. A test parses each with the
 * operation's own schema, so an example cannot drift from what the endpoint accepts.
 */
export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  postPredictions: {
    model: 'churn_classifier',
    version: 'v3',
    events: [
      { id: 'req-1', features: { tenure_months: 12, plan: 'basic' }, prediction: '1', score: 0.82, latency_ms: 14 },
      { id: 'req-2', features: { tenure_months: 40, plan: 'pro' }, prediction: '0', score: 0.12, latency_ms: 11 },
    ],
  },
  postFeedback: { model: 'churn_classifier', events: [{ id: 'req-1', label: '0' }] },
  postKpis: { model: 'churn_classifier', kpis: { retention_rate: 0.91 } },
  putReference: { features: { tenure_months: [3, 12, 40, 7], plan: ['basic', 'pro', 'basic', 'basic'] } },
  createModel: { name: 'churn_classifier', description: 'predicts churn within 90 days', team: 'growth' },
  registerVersion: {
    version: 'v3',
    metrics: { accuracy: 0.91, latency_ms: 22 },
    lineage: { data_version: '2024-06-01', code_commit: '3f9a1c2', artifact_uri: 's3://models/churn/v3' },
  },
  transitionVersion: { to: 'staging', reason: 'offline validation passed' },
  rollbackModel: { reason: 'accuracy collapse', from_version: 'v3' },
  archiveModel: { reason: 'replaced by churn_classifier_v2; no traffic since June' },
  putGates: { production: { min_accuracy: 0.9, max_latency_ms: 40 }, reason: 'tighter SLO' },
  createToken: { name: 'churn-model-server', role: 'ingest' },
  createWebhook: {
    url: 'https://ci.example.com/hooks/modelwatch',
    events: ['version.transitioned'],
    secret: 'a-secret-of-16-chars-or-more',
  },
};
