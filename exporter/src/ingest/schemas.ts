import { z } from 'zod';
import { ROW_SUM_MAX, ROW_SUM_MIN, ROW_SUM_TOLERANCE } from '../stats/index.js';
import { featureNameSchema, nameSchema } from '../names.js';
import { boundedNumber, MAGNITUDE_MESSAGE, magnitudeNumber, probability, withNumber } from './number-rules.js';

export interface SchemaLimits {
  maxBatchEvents: number;
  /** Longest error reason kept as a label value (names follow names.ts instead). */
  maxLabelValueLength: number;
  maxReferenceValues: number;
}

/** Control characters would corrupt the exposition format and logs; nothing legitimate needs them. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

// Model and version names: the identifier rule (names.ts), named in the 400; features and KPIs: the column-name rule.
const nameOf = nameSchema;

/**
 * The ingest API's request bodies. Model, version, feature and KPI names follow the one name
 * rule (names.ts), as the registry's do; error reasons are length-bounded label values; class
 * names come from data and are folded instead.
 */
export function ingestSchemas(limits: SchemaLimits) {
  const labelValue = (what: string) =>
    z
      .string()
      .min(1, `${what} must not be empty`)
      .max(limits.maxLabelValueLength, `${what} must be at most ${limits.maxLabelValueLength} characters`)
      .refine((s) => !CONTROL.test(s), `${what} must not contain control characters`);

  // Numbers are finite with |x| ≤ MAX_MAGNITUDE, so that no window sum can overflow (stats/magnitude.ts);
  // every numeric field names its rule when refused, 1e400 (parsed as Infinity) included (number-rules.ts).
  const magnitude = magnitudeNumber();
  const featureValue = withNumber(
    [magnitude, z.string().max(1024), z.null()],
    MAGNITUDE_MESSAGE,
    'must be a number, a string of at most 1024 characters, or null',
  );
  // JSON true/false are the classes "true"/"false" (a Python bool label arrives as one).
  const classValue = withNumber(
    [magnitude, z.string().min(1).max(1024), z.boolean().transform((b) => String(b))],
    MAGNITUDE_MESSAGE,
    'must be a number, a string of 1 to 1024 characters, or a boolean',
  );
  const ID_NUMBER = `must be an integer of magnitude at most ${Number.MAX_SAFE_INTEGER}`;
  const eventId = withNumber(
    // zod's int() is a safe integer: magnitude at most 2^53 − 1.
    [z.string().min(1).max(256), z.number({ error: ID_NUMBER }).int(ID_NUMBER)],
    ID_NUMBER,
    'must be a string of 1 to 256 characters or an integer',
  );
  const UNIX_SECONDS = 'must be Unix time in seconds, a finite number from 0 to 1e11';
  const timestamp = withNumber(
    [z.iso.datetime({ offset: true }), boundedNumber(0, 1e11, UNIX_SECONDS)],
    UNIX_SECONDS,
    'must be an ISO-8601 date-time (with an offset or Z) or Unix time in seconds',
  );
  const classScores = z.record(z.string().min(1).max(1024), probability());

  const predictionEvent = z
    .object({
      id: eventId.describe('Prediction id; feedback joins on it.'),
      timestamp: timestamp
        .optional()
        .describe(
          'When the prediction was made: ISO-8601, or Unix time in seconds. Defaults to arrival time; at most 300 s ahead of the exporter clock (further: 400).',
        ),
      features: z.record(featureNameSchema('feature name'), featureValue).default({}),
      prediction: classValue.optional().describe('Predicted class, or predicted value for regression. Required unless error is set.'),
      score: probability().optional().describe('Binary classifiers: probability of the positive class.'),
      scores: classScores.optional().describe('Multiclass: probability per class.'),
      latency_ms: boundedNumber(0, 86_400_000, 'must be a finite number of milliseconds from 0 to 86400000').optional(),
      error: z
        .union([labelValue('error reason'), z.boolean()])
        .optional()
        .describe('Set when the model server failed; a string is the reason.'),
      label: classValue.optional().describe('Ground truth, when already known.'),
    })
    .superRefine((e, ctx) => {
      if (e.score !== undefined && e.scores !== undefined)
        ctx.addIssue({ code: 'custom', path: ['scores'], message: 'give score or scores, not both' });
      if (e.scores !== undefined) {
        const problem = rowSumProblem(e.scores);
        if (problem) ctx.addIssue({ code: 'custom', path: ['scores'], message: problem });
      }
      if (!isFailedEvent(e) && e.prediction === undefined)
        ctx.addIssue({ code: 'custom', path: ['prediction'], message: 'prediction is required unless error is set' });
    });

  const predictionsBody = z.object({
    model: nameOf('model'),
    version: nameOf('version'),
    task: z
      .enum(['classification', 'regression'])
      .optional()
      .describe(
        'States the model task; otherwise its first batch decides it (unscored numeric predictions, 0/1 included, read as regression). Fixed once set (README "The task of a model").',
      ),
    positive_class: classValue
      .optional()
      .describe(
        'Binary classifiers: the class `score` is the probability of. Needed unless the classes are {0, 1}, {"0", "1"} or {false, true}; one per model.',
      ),
    events: z.array(predictionEvent).min(1).max(limits.maxBatchEvents, `at most ${limits.maxBatchEvents} events per batch`),
  });

  const feedbackBody = z.object({
    model: nameOf('model'),
    events: z
      .array(z.object({ id: eventId, label: classValue }))
      .min(1)
      .max(limits.maxBatchEvents, `at most ${limits.maxBatchEvents} events per batch`),
  });

  const kpisBody = z.object({
    model: nameOf('model'),
    kpis: z.record(featureNameSchema('KPI name'), magnitude).refine((k) => Object.keys(k).length > 0, 'kpis must not be empty'),
  });

  const referenceBody = z.object({
    features: z
      .record(featureNameSchema('feature name'), z.array(featureValue).min(1).max(limits.maxReferenceValues))
      .refine((f) => Object.keys(f).length > 0, 'features must not be empty'),
    predictions: z
      .array(withNumber([magnitude, z.string(), z.null()], MAGNITUDE_MESSAGE, 'must be a number, a string, or null'))
      .min(1)
      .max(limits.maxReferenceValues)
      .optional(),
    positive_class: classValue
      .optional()
      .describe(
        'Binary classifiers: the class `score` is the probability of. Inferred only from labels {0, 1}, {"0", "1"} or {false, true}.',
      ),
    task: z.enum(['classification', 'regression']).optional(),
    labels: z
      .array(classValue)
      .min(1)
      .max(limits.maxReferenceValues)
      .optional()
      .describe('Classifiers: true class of each reference row; with score or scores, fits the calibration of the label-free estimate.'),
    score: z
      .array(probability())
      .min(1)
      .max(limits.maxReferenceValues)
      .optional()
      .describe('Binary: P(positive_class) per reference row, as the model scores it live.'),
    scores: z
      .array(
        classScores.superRefine((row, ctx) => {
          const problem = rowSumProblem(row);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      )
      .min(1)
      .max(limits.maxReferenceValues)
      .optional()
      .describe('Multiclass: probability per class per reference row.'),
  });

  const referencePath = z.object({ model: nameOf('model'), version: nameOf('version') });

  const ingestResponse = z.object({
    accepted: z
      .number()
      .int()
      .describe('Predictions: events counted (repeated ids are not). Feedback: labels joined or held. KPIs: values set.'),
    dropped: z
      .record(z.string(), z.number().int())
      .describe('Events, labels or values not counted, by reason (bounds, duplicate ids and labels, expired or evicted held labels).'),
    duplicate_ids: z
      .array(z.string())
      .optional()
      .describe('Predictions: the ids (first 100) not counted because they repeat a pending or already labelled prediction.'),
    folded_classes: z
      .array(z.string())
      .optional()
      .describe(
        "Class names (first 20) this batch folded into __other__ (beyond MODELWATCH_MAX_CLASSES_PER_MODEL, longer than MODELWATCH_MAX_LABEL_VALUE_LENGTH or with control characters): their per-class series are the fold bucket's; accuracy, the confusion-derived statistics and log loss still use the exact names.",
      ),
    joined: z.number().int().optional().describe('Feedback: labels joined to their prediction now.'),
    held: z
      .number()
      .int()
      .optional()
      .describe('Feedback: labels that arrived before their prediction, held until it comes (MODELWATCH_HELD_LABEL_SECONDS).'),
  });
  // Its component name in the OpenAPI document (three operations answer with it).
  z.globalRegistry.add(ingestResponse, { title: 'IngestResult' });

  return { predictionsBody, feedbackBody, kpisBody, referenceBody, referencePath, ingestResponse };
}

/**
 * Why a row of class probabilities cannot be used, or undefined when it can: it must sum to 1
 * within ROW_SUM_TOLERANCE (0.01); rows within it are renormalised before use (stats/README).
 */
export function rowSumProblem(row: Record<string, number>): string | undefined {
  let sum = 0;
  for (const c in row) sum += row[c];
  if (sum >= ROW_SUM_MIN && sum <= ROW_SUM_MAX) return undefined;
  return `scores sum to ${sum}; class probabilities must sum to 1 within ${ROW_SUM_TOLERANCE} (rows within it are renormalised)`;
}

/**
 * Whether the model server failed to serve the event (`error: true` or a reason; `error: false`
 * is a served event that says so). A failed event counts in predictions, latency and errors
 * only: it has no prediction to score, so it brings no class, task, score or feature values.
 */
export function isFailedEvent<E extends { error?: unknown }>(e: E): e is E & { error: Exclude<E['error'], undefined | false> } {
  return e.error !== undefined && e.error !== false;
}

export type IngestSchemas = ReturnType<typeof ingestSchemas>;
export type PredictionsBody = z.output<IngestSchemas['predictionsBody']>;
export type PredictionEvent = PredictionsBody['events'][number];
export type FeedbackBody = z.output<IngestSchemas['feedbackBody']>;
export type KpisBody = z.output<IngestSchemas['kpisBody']>;
export type ReferenceBody = z.output<IngestSchemas['referenceBody']>;
