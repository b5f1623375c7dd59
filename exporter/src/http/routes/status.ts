import type { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { HttpContext } from '../context.js';
import { NotFoundError } from '../../errors.js';
import type { Monitor } from '../../ingest/monitor.js';
import { effectiveGates } from '../../registry/gates.js';
import type { RegistryService } from '../../registry/service.js';
import type { Stage } from '../../registry/types.js';
import { versionStatus, type VersionStatus } from '../../status/version-status.js';
import { route } from '../route.js';
import { ErrorSchema } from '../error-schema.js';

const nullableNumber = z.number().nullable();
const StatusResponse = z.object({
  model: z.string(),
  version: z.string(),
  stage: z.string().nullable().describe('registry stage; null when the version is monitored but not registered'),
  production_version: z.string().nullable(),
  window: z.object({ seconds: z.number(), predictions: z.number(), labeled: z.number() }),
  quality: z.object({
    task: z.enum(['classification', 'regression']).nullable(),
    labeled: z.number(),
    accuracy: nullableNumber.optional(),
    macro_f1: nullableNumber.optional(),
    roc_auc: nullableNumber.optional(),
    roc_auc_error_bound: nullableNumber
      .optional()
      .describe('largest possible distance between roc_auc and the exact ROC AUC of the same events (ties within score bins)'),
    log_loss: nullableNumber.optional(),
    mae: nullableNumber.optional(),
    rmse: nullableNumber.optional(),
  }),
  estimate: z
    .object({
      events: z.number().describe('scored predictions in the window the estimate rests on'),
      accuracy: nullableNumber,
      accuracy_lower: nullableNumber,
      accuracy_upper: nullableNumber,
      macro_f1: nullableNumber.describe('binary: F1 of the positive class'),
      roc_auc: nullableNumber,
    })
    .nullable()
    .describe('label-free estimate (CBPE) from calibrated scores; null when the reference carries no labels and scores'),
  labels: z.object({
    coverage: nullableNumber.describe("share of the window's predictions whose label has arrived"),
    pending: z.number().describe('predictions waiting for their label'),
  }),
  features: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['numeric', 'categorical']),
      count: z.number(),
      psi: nullableNumber,
      ks_statistic: nullableNumber.optional(),
      ks_pvalue: nullableNumber.optional(),
      js_distance: nullableNumber.optional(),
      missing_ratio: nullableNumber,
      out_of_range_ratio: nullableNumber.optional(),
    }),
  ),
  prediction_psi: nullableNumber,
  serving: z.object({
    predictions: z.number(),
    errors: z.number(),
    error_ratio: nullableNumber,
    latency_ms: z.object({ mean: nullableNumber, p50: nullableNumber, p95: nullableNumber }),
  }),
  health: z.object({
    verdict: z.enum(['healthy', 'degraded', 'failing', 'no_data']),
    reasons: z.array(
      z.object({
        check: z.string(),
        severity: z.enum(['info', 'warning', 'critical']),
        value: z.number(),
        threshold: z.number(),
        feature: z.string().optional(),
        message: z.string(),
      }),
    ),
  }),
});
z.globalRegistry.add(StatusResponse, { title: 'VersionStatus' });

/**
 * GET /models/{model}/status?version=: what the exporter computed for a version (default: the
 * production version, else the version that sent traffic last) — for CI checking a canary and
 * for on-call when Grafana is down. 404 when neither the registry nor the monitor knows it.
 */
/** `config` gives the window length and retrain thresholds; `now` is the clock in milliseconds. */
export function statusRoutes(monitor: Monitor, registry: RegistryService, config: Config, now: () => number) {
  return (router: Router, ctx: HttpContext): void => {
    route(router, ctx, {
      method: 'get',
      operationId: 'getModelStatus',
      path: '/api/v1/models/{model}/status',
      summary: 'Health of a model version: window quality, drift and data quality per feature, serving stats, verdict with reasons',
      tag: 'status',
      role: 'viewer',
      params: z.object({ model: z.string() }),
      query: z.object({ version: z.string().optional().describe('default: the production version, else the last one with traffic') }),
      responses: {
        200: { description: 'the status', schema: StatusResponse },
        404: { description: 'unknown model or version', schema: ErrorSchema },
      },
      handle: async ({ params, query }) => {
        const state = monitor.models.get(params.model);
        const registered = await registry.getModel(params.model).catch((err: unknown) => {
          if (err instanceof NotFoundError && state) return undefined;
          throw err;
        });
        const version = query.version ?? registered?.productionVersion ?? lastActive(state?.versions);
        if (!version) throw new NotFoundError(`${params.model} has no production version and no traffic; name one with ?version=`);
        const record = registered ? await registry.getVersion(params.model, version).catch(() => undefined) : undefined;
        const vs = state?.versions.get(version);
        if (!record && !vs) throw new NotFoundError(`${params.model} ${version} is neither registered nor monitored`);
        const stage: Stage | null = record?.stage ?? null;
        const gates = effectiveGates(registered?.gates ?? null)[stage === 'staging' ? 'staging' : 'production'];
        const status: VersionStatus = vs
          ? versionStatus(state!, vs, config, gates, now())
          : noData(params.model, version, config.windowSeconds);
        return { ...status, stage, production_version: registered?.productionVersion ?? null };
      },
    });
  };
}

function lastActive(versions: Map<string, { lastSeen: number }> | undefined): string | undefined {
  let best: [string, number] | undefined;
  for (const [name, v] of versions ?? []) if (!best || v.lastSeen > best[1]) best = [name, v.lastSeen];
  return best?.[0];
}

function noData(model: string, version: string, seconds: number): VersionStatus {
  return {
    model,
    version,
    window: { seconds, predictions: 0, labeled: 0 },
    quality: { task: null, labeled: 0 },
    estimate: null,
    labels: { coverage: null, pending: 0 },
    features: [],
    prediction_psi: null,
    serving: { predictions: 0, errors: 0, error_ratio: null, latency_ms: { mean: null, p50: null, p95: null } },
    health: { verdict: 'no_data', reasons: [] },
  };
}
