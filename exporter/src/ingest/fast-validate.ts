import { FORBIDDEN_KEYS, isCleanText } from '../text-rule.js';
import { withinMagnitude } from '../stats/index.js';
import { isFeatureName, isName } from '../names.js';
import { isFailedEvent, rowSumProblem, type PredictionsBody, type SchemaLimits } from './schemas.js';

/**
 * A hand-written check of a predictions batch for the common shape, because zod costs several
 * microseconds per event with 20 features, more than everything else ingest does. It only ever
 * ACCEPTS: when it returns undefined (unusual or bad input), the caller runs the zod schema,
 * which remains the definition of validity and produces the 400 details. The property test
 * test/ingest/fast-validate.test.ts checks that whatever this accepts, zod accepts identically.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function isLabelValue(v: unknown, maxLen: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= maxLen && !CONTROL.test(v) && isCleanText(v);
}

/** Strings and keys that the text rule (text-rule.ts) refuses are left to the full parse to report. */
function isCleanKey(k: string): boolean {
  return !FORBIDDEN_KEYS.has(k) && isCleanText(k);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isClassValue(v: unknown): boolean {
  return (typeof v === 'number' && withinMagnitude(v)) || (typeof v === 'string' && v.length >= 1 && v.length <= 1024 && isCleanText(v));
}

function isProbability(v: unknown): boolean {
  return typeof v === 'number' && v >= 0 && v <= 1;
}

const EVENT_KEYS = new Set(['id', 'features', 'prediction', 'score', 'scores', 'latency_ms', 'error', 'label', 'timestamp']);

function eventOk(e: unknown, limits: SchemaLimits): boolean {
  if (!isPlainObject(e)) return false;
  for (const k in e) if (!EVENT_KEYS.has(k)) return false;
  const id = e.id;
  if (typeof id === 'string') {
    if (id.length < 1 || id.length > 256 || !isCleanText(id)) return false;
  } else if (!(typeof id === 'number' && Number.isSafeInteger(id))) return false;
  // ISO timestamps need zod's datetime parser; numeric ones are simple.
  if (e.timestamp !== undefined && !(typeof e.timestamp === 'number' && e.timestamp >= 0 && e.timestamp <= 1e11)) return false;
  const features = e.features;
  if (!isPlainObject(features)) return false;
  for (const name in features) {
    // zod's record output drops a JSON "__proto__" key; leave such oddities to zod.
    if (!isFeatureName(name) || !isCleanKey(name)) return false;
    const v = features[name];
    if (v === null) continue;
    if (typeof v === 'number') {
      if (!withinMagnitude(v)) return false;
    } else if (typeof v !== 'string' || v.length > 1024 || !isCleanText(v)) return false;
  }
  if (e.error !== undefined && typeof e.error !== 'boolean' && !isLabelValue(e.error, limits.maxLabelValueLength)) return false;
  if (e.prediction === undefined ? !isFailedEvent(e) : !isClassValue(e.prediction)) return false;
  if (e.score !== undefined && (e.scores !== undefined || !isProbability(e.score))) return false;
  if (e.scores !== undefined) {
    if (!isPlainObject(e.scores)) return false;
    for (const c in e.scores) if (c.length < 1 || c.length > 1024 || !isCleanKey(c) || !isProbability(e.scores[c])) return false;
    if (rowSumProblem(e.scores as Record<string, number>) !== undefined) return false;
  }
  if (e.latency_ms !== undefined && !(typeof e.latency_ms === 'number' && e.latency_ms >= 0 && e.latency_ms <= 86_400_000)) return false;
  if (e.label !== undefined && !isClassValue(e.label)) return false;
  return true;
}

export function fastValidatePredictions(body: unknown, limits: SchemaLimits): PredictionsBody | undefined {
  if (!isPlainObject(body)) return undefined;
  for (const k in body) if (k !== 'model' && k !== 'version' && k !== 'events' && k !== 'task' && k !== 'positive_class') return undefined;
  if (typeof body.model !== 'string' || !isName(body.model) || typeof body.version !== 'string' || !isName(body.version)) return undefined;
  if (body.positive_class !== undefined && !isClassValue(body.positive_class)) return undefined;
  if (body.task !== undefined && body.task !== 'classification' && body.task !== 'regression') return undefined;
  const events = body.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > limits.maxBatchEvents) return undefined;
  for (let i = 0; i < events.length; i++) if (!eventOk(events[i], limits)) return undefined;
  return body as unknown as PredictionsBody;
}
