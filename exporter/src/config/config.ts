import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readRetrainOverrides, type RetrainOverrides, type RetrainThresholds } from './retrain-thresholds.js';

/** Every setting the exporter reads from its environment, with defaults, in one place. */
const envSchema = z.object({
  MODELWATCH_PORT: z.coerce.number().int().min(0).max(65535).default(9400),
  MODELWATCH_HOST: z.string().default('0.0.0.0'),
  MODELWATCH_DATA_DIR: z.string().default('.data'),
  MODELWATCH_DATABASE_URL: z.string().optional(),
  MODELWATCH_ADMIN_TOKEN: z.string().min(16, 'MODELWATCH_ADMIN_TOKEN must be at least 16 characters').optional(),
  /** Id of the token Grafana's app uses; only its X-Grafana-User header names the actor. */
  MODELWATCH_GRAFANA_TOKEN_ID: z
    .string()
    .regex(/^([a-z0-9]{12})?$/, 'MODELWATCH_GRAFANA_TOKEN_ID must be a token id (12 lower-case letters or digits, as in mw_<id>_…)')
    .optional(),
  MODELWATCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MODELWATCH_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  MODELWATCH_MAX_BATCH_EVENTS: z.coerce.number().int().positive().default(50_000),
  MODELWATCH_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  MODELWATCH_WINDOW_RESOLUTION_SECONDS: z.coerce.number().int().positive().default(60),
  MODELWATCH_SKETCH_RESOLUTION_SECONDS: z.coerce.number().int().positive().default(300),
  MODELWATCH_MAX_MODELS: z.coerce.number().int().positive().default(1000),
  MODELWATCH_MAX_VERSIONS_PER_MODEL: z.coerce.number().int().positive().default(5),
  MODELWATCH_MAX_FEATURES_PER_MODEL: z.coerce.number().int().positive().default(50),
  MODELWATCH_MAX_CATEGORIES_PER_FEATURE: z.coerce.number().int().positive().default(50),
  MODELWATCH_MAX_CLASSES_PER_MODEL: z.coerce.number().int().positive().default(50),
  MODELWATCH_MAX_KPIS_PER_MODEL: z.coerce.number().int().positive().default(20),
  MODELWATCH_MAX_LABEL_VALUE_LENGTH: z.coerce.number().int().positive().default(64),
  MODELWATCH_PENDING_PREDICTIONS_PER_MODEL: z.coerce.number().int().positive().default(100_000),
  MODELWATCH_PENDING_PREDICTIONS_TOTAL: z.coerce.number().int().positive().default(2_000_000),
  /** 7 days: the label delay histogram's last finite bucket (LABEL_DELAY_BUCKETS_SECONDS). */
  MODELWATCH_PENDING_PREDICTION_SECONDS: z.coerce.number().int().positive().default(604_800),
  MODELWATCH_HELD_LABELS_PER_MODEL: z.coerce.number().int().positive().default(10_000),
  MODELWATCH_HELD_LABELS_TOTAL: z.coerce.number().int().positive().default(200_000),
  MODELWATCH_HELD_LABEL_SECONDS: z.coerce.number().int().positive().default(600),
  MODELWATCH_RECENT_IDS_PER_MODEL: z.coerce.number().int().positive().default(10_000),
  MODELWATCH_RECENT_IDS_TOTAL: z.coerce.number().int().positive().default(200_000),
  MODELWATCH_MAX_ERROR_REASONS_PER_MODEL: z.coerce.number().int().positive().default(10),
  MODELWATCH_MAX_REFERENCE_VALUES: z.coerce.number().int().positive().default(1_000_000),
  MODELWATCH_RETRAIN_MIN_ACCURACY: z.coerce.number().min(0).max(1).default(0.85),
  MODELWATCH_RETRAIN_MAX_PSI: z.coerce.number().min(0).default(0.1),
  MODELWATCH_RETRAIN_MIN_LABELED: z.coerce.number().int().min(0).default(50),
  MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS: z.coerce.number().int().min(0).default(50),
  /** Per-model retraining thresholds (config/retrain-thresholds.ts), as the rules generate them. */
  MODELWATCH_RETRAIN_THRESHOLDS_FILE: z.string().optional(),
  MODELWATCH_CHECKPOINT_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  /** The write-ahead ingest journal (src/durable/journal.ts): acknowledged batches survive kill -9. */
  MODELWATCH_JOURNAL: z.enum(['true', 'false']).default('true'),
  MODELWATCH_JOURNAL_MAX_MB: z.coerce.number().positive().default(1024),
  /** Names this exporter's journal rows; replicas sharing a database need distinct, stable names. */
  MODELWATCH_INSTANCE: z.string().min(1).max(256).optional(),
  /** The audit chain's HMAC key (auth/audit-keys.ts); never stored in the database. */
  MODELWATCH_AUDIT_KEY: z.string().min(32, 'MODELWATCH_AUDIT_KEY must be at least 32 characters').optional(),
  MODELWATCH_AUDIT_KEY_FILE: z.string().optional(),
  MODELWATCH_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  MODELWATCH_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  /** One webhook configured by the environment (CI/chat), besides those added through the API. */
  MODELWATCH_WEBHOOK_URL: z.string().optional(),
  MODELWATCH_WEBHOOK_SECRET: z.string().min(16, 'MODELWATCH_WEBHOOK_SECRET must be at least 16 characters').optional(),
  MODELWATCH_WEBHOOK_EVENTS: z.string().default('*'),
});

export type Env = z.infer<typeof envSchema>;

export interface CardinalityLimits {
  maxModels: number;
  maxVersionsPerModel: number;
  maxFeaturesPerModel: number;
  maxCategoriesPerFeature: number;
  maxClassesPerModel: number;
  maxKpisPerModel: number;
  maxLabelValueLength: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  adminToken?: string;
  /** The token whose forwarded Grafana user is trusted as the actor (MODELWATCH_GRAFANA_TOKEN_ID). */
  grafanaTokenId?: string;
  logLevel: Env['MODELWATCH_LOG_LEVEL'];
  maxBodyBytes: number;
  maxBatchEvents: number;
  windowSeconds: number;
  windowResolutionSeconds: number;
  sketchResolutionSeconds: number;
  limits: CardinalityLimits;
  pendingPredictionsPerModel: number;
  /** Bound on pending (unlabeled) predictions across all models, so memory stays bounded at maxModels. */
  pendingPredictionsTotal: number;
  /**
   * How long (ms of window time) a prediction waits for its label after it arrived; then it is
   * dropped as `pending_expired`, and a label that comes later as `prediction_expired`.
   */
  pendingPredictionTtlMs: number;
  /**
   * Labels that arrive before their prediction are held this long (ms), at most this many per
   * model and in total (oldest dropped first), and join when the prediction comes.
   */
  heldLabels: { perModel: number; total: number; ttlMs: number };
  /**
   * Ids of predictions whose label has joined, remembered (oldest forgotten first) so that a
   * repeated prediction id is recognised after its label, not only while it is pending.
   */
  recentIds: { perModel: number; total: number };
  maxErrorReasonsPerModel: number;
  /** Values per feature in a reference sample. */
  maxReferenceValues: number;
  /**
   * modelwatch_retrain_recommended is 1 when the upper end of window accuracy's Wilson 95% interval
   * (stats/wilson.ts, as the accuracy alerts) is below `minAccuracy` (resting on at least
   * `minLabeled` labelled events) or above `maxPsi` feature PSI (resting on at least
   * `minDriftEvents` non-missing values of that feature in its drift window); below those sample sizes it stays 0. `models`
   * overrides minAccuracy and maxPsi per model (read with retrainThresholdsFor).
   */
  retrain: RetrainThresholds & { minLabeled: number; minDriftEvents: number; models: RetrainOverrides };
  webhookAllowPrivate: boolean;
  /**
   * Seconds between checkpoints of window state to the store (src/durable); a crash loses at
   * most this much acknowledged ingest. 0 turns periodic checkpoints off (restore at start and
   * the checkpoint at shutdown stay).
   */
  checkpointSeconds: number;
  /**
   * The write-ahead ingest journal: on, every acknowledged ingest batch is in the store before
   * its answer and is replayed after a crash; `maxBytes` uncovered bytes make ingest answer 503.
   * `instance` names this exporter's rows (default host name and data directory).
   */
  journal: { enabled: boolean; maxBytes: number; instance: string };
  /** Audit chain key sources (auth/audit-keys.ts). */
  auditKey?: string;
  auditKeyFile?: string;
  /** Seconds between signed audit checkpoint log lines; 0 turns them off. */
  auditCheckpointSeconds: number;
  /** The environment-configured webhook, if any (MODELWATCH_WEBHOOK_URL/_SECRET/_EVENTS). */
  webhook?: { url: string; secret: string; events: string[] };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.MODELWATCH_WINDOW_SECONDS % e.MODELWATCH_WINDOW_RESOLUTION_SECONDS !== 0) {
    throw new ConfigError('MODELWATCH_WINDOW_SECONDS must be a multiple of MODELWATCH_WINDOW_RESOLUTION_SECONDS');
  }
  if (e.MODELWATCH_WINDOW_SECONDS % e.MODELWATCH_SKETCH_RESOLUTION_SECONDS !== 0) {
    throw new ConfigError('MODELWATCH_WINDOW_SECONDS must be a multiple of MODELWATCH_SKETCH_RESOLUTION_SECONDS');
  }
  if (e.MODELWATCH_WEBHOOK_URL && !e.MODELWATCH_WEBHOOK_SECRET) {
    throw new ConfigError('MODELWATCH_WEBHOOK_URL needs MODELWATCH_WEBHOOK_SECRET (deliveries are signed)');
  }
  const dataDir = path.resolve(e.MODELWATCH_DATA_DIR);
  let retrainModels: RetrainOverrides = {};
  if (e.MODELWATCH_RETRAIN_THRESHOLDS_FILE) {
    try {
      retrainModels = readRetrainOverrides(e.MODELWATCH_RETRAIN_THRESHOLDS_FILE);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return {
    port: e.MODELWATCH_PORT,
    host: e.MODELWATCH_HOST,
    dataDir,
    databaseUrl: e.MODELWATCH_DATABASE_URL,
    sqlitePath: path.join(dataDir, 'modelwatch.sqlite'),
    auditKey: e.MODELWATCH_AUDIT_KEY,
    auditKeyFile: e.MODELWATCH_AUDIT_KEY_FILE,
    auditCheckpointSeconds: e.MODELWATCH_AUDIT_CHECKPOINT_SECONDS,
    adminToken: e.MODELWATCH_ADMIN_TOKEN,
    grafanaTokenId: e.MODELWATCH_GRAFANA_TOKEN_ID || undefined,
    logLevel: e.MODELWATCH_LOG_LEVEL,
    maxBodyBytes: e.MODELWATCH_MAX_BODY_BYTES,
    maxBatchEvents: e.MODELWATCH_MAX_BATCH_EVENTS,
    windowSeconds: e.MODELWATCH_WINDOW_SECONDS,
    windowResolutionSeconds: e.MODELWATCH_WINDOW_RESOLUTION_SECONDS,
    sketchResolutionSeconds: e.MODELWATCH_SKETCH_RESOLUTION_SECONDS,
    limits: {
      maxModels: e.MODELWATCH_MAX_MODELS,
      maxVersionsPerModel: e.MODELWATCH_MAX_VERSIONS_PER_MODEL,
      maxFeaturesPerModel: e.MODELWATCH_MAX_FEATURES_PER_MODEL,
      maxCategoriesPerFeature: e.MODELWATCH_MAX_CATEGORIES_PER_FEATURE,
      maxClassesPerModel: e.MODELWATCH_MAX_CLASSES_PER_MODEL,
      maxKpisPerModel: e.MODELWATCH_MAX_KPIS_PER_MODEL,
      maxLabelValueLength: e.MODELWATCH_MAX_LABEL_VALUE_LENGTH,
    },
    pendingPredictionsPerModel: e.MODELWATCH_PENDING_PREDICTIONS_PER_MODEL,
    pendingPredictionsTotal: e.MODELWATCH_PENDING_PREDICTIONS_TOTAL,
    pendingPredictionTtlMs: e.MODELWATCH_PENDING_PREDICTION_SECONDS * 1000,
    heldLabels: {
      perModel: e.MODELWATCH_HELD_LABELS_PER_MODEL,
      total: e.MODELWATCH_HELD_LABELS_TOTAL,
      ttlMs: e.MODELWATCH_HELD_LABEL_SECONDS * 1000,
    },
    recentIds: { perModel: e.MODELWATCH_RECENT_IDS_PER_MODEL, total: e.MODELWATCH_RECENT_IDS_TOTAL },
    maxErrorReasonsPerModel: e.MODELWATCH_MAX_ERROR_REASONS_PER_MODEL,
    maxReferenceValues: e.MODELWATCH_MAX_REFERENCE_VALUES,
    retrain: {
      minAccuracy: e.MODELWATCH_RETRAIN_MIN_ACCURACY,
      maxPsi: e.MODELWATCH_RETRAIN_MAX_PSI,
      minLabeled: e.MODELWATCH_RETRAIN_MIN_LABELED,
      minDriftEvents: e.MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS,
      models: retrainModels,
    },
    webhookAllowPrivate: e.MODELWATCH_WEBHOOK_ALLOW_PRIVATE === 'true',
    checkpointSeconds: e.MODELWATCH_CHECKPOINT_SECONDS,
    journal: {
      enabled: e.MODELWATCH_JOURNAL === 'true',
      maxBytes: Math.round(e.MODELWATCH_JOURNAL_MAX_MB * 1024 * 1024),
      // SQLite is one exporter's file: its rows need no name that survives a new host name
      instance: e.MODELWATCH_INSTANCE ?? (e.MODELWATCH_DATABASE_URL ? `${os.hostname()}:${dataDir}`.slice(0, 256) : 'sqlite'),
    },
    webhook: e.MODELWATCH_WEBHOOK_URL
      ? {
          url: e.MODELWATCH_WEBHOOK_URL,
          secret: e.MODELWATCH_WEBHOOK_SECRET ?? '',
          events: e.MODELWATCH_WEBHOOK_EVENTS.split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        }
      : undefined,
  };
}

/** An environment variable the exporter reads and its default (undefined: unset unless given). */
export interface EnvironmentVariable {
  name: keyof Env;
  default?: string;
}

/** Every variable of the schema above with its default, in schema order (for `serve --help`). */
export function environmentVariables(): EnvironmentVariable[] {
  return Object.entries(envSchema.shape).map(([name, field]) => ({
    name: name as keyof Env,
    default: field instanceof z.ZodDefault ? String(field.def.defaultValue) : undefined,
  }));
}
