import { z } from 'zod';
import { FINITE_MESSAGE, finiteNumber, MAGNITUDE_MESSAGE, magnitudeNumber, probability, withNumber } from '../../ingest/number-rules.js';
import { ROLES } from '../../auth/roles.js';
import { GATE_NAME } from '../../registry/gates.js';
import { checkMetricValues, LATENCY_RULE, METRIC_RULES_TEXT } from '../../registry/metric-rules.js';
import { ErrorSchema } from '../error-schema.js';
import { STAGES } from '../../registry/types.js';
import { nameSchema } from '../../names.js';

/**
 * Request and response schemas of the registry API. They validate requests and generate the
 * OpenAPI document, so the two cannot drift apart.
 */

/** Model and version names: the one name rule of ingest, registry, CLI and app (names.ts). */
export const ModelName = nameSchema('model name');
export const VersionName = nameSchema('version name');
export const Team = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'team must be 1-64 characters of letters, digits, ".", "_", "-"');
const Key = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'keys are 1-128 characters of letters, digits, "_", ".", "-"');
const Text = (max: number) => z.string().max(max);
const Reason = z.string().trim().min(1, 'reason is required (it goes to the audit log)').max(1000);

/** Schemes an artifact may live under; anything else (javascript:, data:) is refused. */
export const ARTIFACT_SCHEMES = [
  's3',
  'gs',
  'gcs',
  'hdfs',
  'abfss',
  'wasbs',
  'az',
  'dbfs',
  'file',
  'http',
  'https',
  'oci',
  'models',
  'runs',
  'mlflow-artifacts',
];
export const ArtifactUri = z
  .string()
  .max(2048)
  .refine(
    (v) => {
      const m = /^([a-z][a-z0-9+.-]*):\/\/?[^\s]+$/i.exec(v);
      return m !== null && ARTIFACT_SCHEMES.includes(m[1].toLowerCase());
    },
    `artifact_uri must be a URI with one of the schemes ${ARTIFACT_SCHEMES.join(', ')}`,
  );

const LATENCY = LATENCY_RULE.message;
const METRIC_KEY = /^[a-z][a-z0-9_]{0,63}$/;
export const Metrics = z
  .object({
    accuracy: probability().optional(),
    latency_ms: z.number({ error: LATENCY }).min(LATENCY_RULE.min, LATENCY).max(LATENCY_RULE.max, LATENCY).optional(),
  })
  .catchall(finiteNumber())
  .superRefine((m, ctx) => {
    checkMetricValues(m, ctx);
    const keys = Object.keys(m);
    if (keys.length > 64) ctx.addIssue({ code: 'custom', message: 'at most 64 metrics' });
    for (const k of keys)
      if (!METRIC_KEY.test(k))
        ctx.addIssue({ code: 'custom', path: [k], message: 'metric names are lowercase letters, digits and "_", starting with a letter' });
  })
  .describe(`Validation metrics {name: value}, at most 64. ${METRIC_RULES_TEXT}`);

/**
 * A JSON `"__proto__"` key fits the key pattern, but zod's records skip it and a plain object
 * cannot hold it, so it would vanish without a word: refuse it instead.
 */
const refuseProtoKey = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value, ctx) => {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: '"__proto__" is not allowed as a key', input: value });
    }
    return value;
  }, schema);

const bounded = <T extends z.ZodType>(value: T, max: number) =>
  refuseProtoKey(z.record(Key, value).refine((r) => Object.keys(r).length <= max, `at most ${max} entries`));

export const LineageBody = z
  .object({
    data_version: Text(256).optional(),
    code_commit: Text(256).optional(),
    hyperparameters: bounded(
      withNumber(
        [z.string().max(1024), finiteNumber(), z.boolean(), z.null()],
        FINITE_MESSAGE,
        'must be a string, a number, a boolean, or null',
      ),
      256,
    ).optional(),
    environment: bounded(z.string().max(1024), 256).optional(),
    artifact_uri: ArtifactUri.optional(),
    tags: bounded(z.string().max(256), 64).optional(),
    parent_version: VersionName.optional(),
  })
  .strict();

/** A class name as ingest accepts it; JSON 1, "1" (and true, "true") name one class. */
const PositiveClass = withNumber(
  [z.string().min(1).max(1024), magnitudeNumber(), z.boolean()],
  MAGNITUDE_MESSAGE,
  'must be a string of 1 to 1024 characters, a number, or a boolean',
)
  .transform((c) => String(c))
  .describe('Binary models: the class `score` is the probability of; ingest uses it when the request and the reference do not state one.');

export const CreateModelBody = z
  .object({ name: ModelName, description: Text(2000).optional(), team: Team.optional(), positive_class: PositiveClass.optional() })
  .strict();

export const PositiveClassBody = z
  .object({ positive_class: PositiveClass.nullable().describe('the positive class, or null to clear it'), reason: Text(1000).optional() })
  .strict();

export const RegisterVersionBody = z
  .object({ version: VersionName, description: Text(2000).optional(), metrics: Metrics.optional(), lineage: LineageBody.optional() })
  .strict();

export const TransitionBody = z
  .object({
    to: z.enum(STAGES),
    reason: Reason,
    force: z.boolean().optional(),
    /** Required (true) to move the production version out without a replacement. */
    allow_empty_production: z.boolean().optional(),
  })
  .strict();
export const RollbackBody = z.object({ reason: Reason, from_version: VersionName.optional() }).strict();
export const ArchiveModelBody = z.object({ reason: Reason }).strict();
/** DELETE has no body: the reason the audit log records comes in the query. */
export const DeleteModelQuery = z.object({ reason: Reason });

const StageGatesBody = z
  .record(z.string().regex(GATE_NAME, 'gate names are min_<metric> or max_<metric>'), finiteNumber())
  .refine((g) => Object.keys(g).length <= 32, 'at most 32 gates per stage')
  .superRefine((g, ctx) => checkMetricValues(g, ctx, (gate) => GATE_NAME.exec(gate)?.[2]))
  .describe(
    `Gates of one stage, {min_<metric>|max_<metric>: bound}. A stage sent here replaces that stage's defaults entirely: ` +
      `a gate left out is not checked ({} = no gates), so send every gate the stage should keep; a stage left out of the body ` +
      `returns to its defaults. GET /gates shows the gates in force. ` +
      `A bound takes its metric's range. ${METRIC_RULES_TEXT}`,
  );
export const GatesBody = z
  .object({ staging: StageGatesBody.optional(), production: StageGatesBody.optional(), reason: Text(1000).optional() })
  .strict();

export const CreateTokenBody = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'token name must be 1-64 characters of letters, digits, ".", "_", "@", "-"'),
    role: z.enum(ROLES),
  })
  .strict();

export const ModelParams = z.object({ model: ModelName });
export const VersionParams = z.object({ model: ModelName, version: VersionName });
export const TokenParams = z.object({ id: z.string().regex(/^[a-z0-9]{12}$/, 'token id is 12 lowercase letters or digits') });

const Limit = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);
export const ListModelsQuery = z.object({
  limit: Limit(1000, 10000),
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('also list archived (retired) models'),
});
export const ListVersionsQuery = z.object({ stage: z.enum(STAGES).optional() });
export const ListTransitionsQuery = z.object({ limit: Limit(100, 1000) });
/** Audit ids are 32-bit integers (PostgreSQL `integer`): a larger cursor is not one we issued. */
const MAX_AUDIT_ID = 2 ** 31 - 1;
export const AuditQueryParams = z.object({
  model: ModelName.optional(),
  limit: Limit(100, 1000),
  before: z.coerce.number().int().min(1).max(MAX_AUDIT_ID).optional(),
});

// Responses (documentation; the presenters build exactly these shapes).
const Gates = z.record(z.string(), z.number());
export const ModelResponse = z.object({
  name: z.string(),
  description: z.string(),
  team: z.string(),
  production_version: z.string().nullable(),
  /** GET /models/{model} only: the version a rollback would return to production now. */
  rollback_target: z.string().nullable().optional(),
  gates: z.object({ staging: Gates, production: Gates }),
  gates_overridden: z.boolean(),
  /** The class a binary model's `score` is the probability of; null when the registry states none. */
  positive_class: z.string().nullable(),
  created_at: z.string(),
  created_by: z.string(),
  /** When the model was archived (retired); null while in use. */
  archived_at: z.string().nullable(),
});
export const VersionResponse = z.object({
  model: z.string(),
  version: z.string(),
  stage: z.enum(STAGES),
  description: z.string(),
  metrics: z.record(z.string(), z.number()),
  lineage: LineageBody,
  predecessor: z.string().nullable(),
  created_at: z.string(),
  created_by: z.string(),
  stage_changed_at: z.string(),
});
export const GateFailureResponse = z.object({ gate: z.string(), metric: z.string(), required: z.number(), actual: z.number().nullable() });
export const TransitionResultResponse = z.object({
  model: z.string(),
  version: z.string(),
  from: z.enum(STAGES),
  to: z.enum(STAGES),
  forced: z.boolean(),
  skipped_gates: z.array(GateFailureResponse),
  archived_version: z.string().nullable(),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
});
export const RollbackResponse = z.object({
  model: z.string(),
  from_version: z.string(),
  to_version: z.string(),
  trigger: z.enum(['manual', 'alert']),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
});
export const TransitionRecordResponse = z.object({
  id: z.number(),
  model: z.string(),
  version: z.string(),
  from: z.enum(STAGES),
  to: z.enum(STAGES),
  kind: z.enum(['transition', 'replaced', 'rollback', 'retired']),
  trigger: z.enum(['manual', 'alert']).nullable(),
  forced: z.boolean(),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
});
/** What archiving or deleting a model did: the versions archived, or removed with the stage they had. */
export const ModelRetirementResponse = z.object({
  model: z.string(),
  archived: z.boolean(),
  deleted: z.boolean(),
  versions: z.array(z.object({ version: z.string(), stage: z.enum(STAGES) })),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
});
export const GatesResponse = z.object({
  model: z.string(),
  gates: z.object({ staging: Gates, production: Gates }),
  overridden: z
    .object({ staging: z.boolean(), production: z.boolean() })
    .describe("true where an override replaced the stage's defaults: its gates are exactly those listed, defaults not merged in"),
});
export const AuditEntryResponse = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});
export const TokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  created_at: z.string(),
  created_by: z.string(),
  revoked_at: z.string().nullable(),
});
export { ErrorSchema as ErrorResponse };

// Component names in the OpenAPI document for the schemas several operations answer with.
z.globalRegistry.add(ModelResponse, { title: 'Model' });
z.globalRegistry.add(VersionResponse, { title: 'Version' });
z.globalRegistry.add(GatesResponse, { title: 'Gates' });
z.globalRegistry.add(ModelRetirementResponse, { title: 'ModelRetirement' });

/** A promotion refused by its gates (422, code MW_ERR_GATE_FAILED): the Error body, every failed gate in details. */
export const GateRefusalResponse = ErrorSchema.extend({ details: z.array(GateFailureResponse) });
z.globalRegistry.add(GateRefusalResponse, { title: 'GateRefusal' });
