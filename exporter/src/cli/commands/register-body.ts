import fs from 'node:fs';
import type { components } from '../../api/openapi-types.js';
import { UsageError } from '../client-errors.js';

/** The register command's flags, as commander hands them over. */
export interface RegisterFlags {
  accuracy?: string;
  latencyMs?: string;
  metric?: string[];
  dataVersion?: string;
  codeCommit?: string;
  param?: string[];
  env?: string[];
  artifactUri?: string;
  tag?: string[];
  parent?: string;
  description?: string;
  fromFile?: string;
}

type Json = Record<string, unknown>;
type RegisterVersionRequest = components['schemas']['RegisterVersionRequest'];

/**
 * Builds the registration request body. `--from-file` gives a base in the API's own shape
 * (what CI tooling already writes); flags given alongside it override single fields, so a
 * pipeline can keep the lineage in a file and pass the fresh metrics on the command line.
 */
export function buildRegisterBody(version: string, flags: RegisterFlags): RegisterVersionRequest {
  const base = flags.fromFile ? readJsonFile(flags.fromFile) : {};
  const metrics: Json = { ...asObject(base.metrics, 'metrics') };
  const lineage: Json = { ...asObject(base.lineage, 'lineage') };

  for (const [k, v] of pairs(flags.metric, '--metric')) metrics[k] = number(v, `--metric ${k}`);
  if (flags.accuracy !== undefined) metrics.accuracy = number(flags.accuracy, '--accuracy');
  if (flags.latencyMs !== undefined) metrics.latency_ms = number(flags.latencyMs, '--latency-ms');

  if (flags.dataVersion !== undefined) lineage.data_version = flags.dataVersion;
  if (flags.codeCommit !== undefined) lineage.code_commit = flags.codeCommit;
  if (flags.artifactUri !== undefined) lineage.artifact_uri = flags.artifactUri;
  if (flags.parent !== undefined) lineage.parent_version = flags.parent;
  mergeInto(
    lineage,
    'hyperparameters',
    pairs(flags.param, '--param').map(([k, v]) => [k, scalar(v)]),
  );
  mergeInto(lineage, 'environment', pairs(flags.env, '--env'));
  mergeInto(lineage, 'tags', pairs(flags.tag, '--tag'));

  const body: Json = { ...base, version };
  if (Object.keys(metrics).length) body.metrics = metrics;
  if (Object.keys(lineage).length) body.lineage = lineage;
  if (flags.description !== undefined) body.description = flags.description;
  // Assembled from the user's flags and file; the exporter validates it (a 400 names the field).
  return body as RegisterVersionRequest;
}

function readJsonFile(file: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--from-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--from-file: ${file} is not valid JSON`);
  }
  return asObject(parsed, `--from-file ${file}`);
}

function asObject(value: unknown, what: string): Json {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${what} must be a JSON object`);
  return value as Json;
}

function mergeInto(target: Json, key: string, entries: [string, unknown][]): void {
  if (!entries.length) return;
  target[key] = { ...asObject(target[key], `lineage.${key}`), ...Object.fromEntries(entries) };
}

/** `k=v` flags; the value may itself contain `=`. */
export function pairs(values: string[] | undefined, flag: string): [string, string][] {
  return (values ?? []).map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} expects key=value, got "${item}"`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

export function number(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} expects a number, got "${value}"`);
  return n;
}

/** Hyperparameters keep their type: `lr=0.01` is a number, `early_stop=true` a boolean. */
function scalar(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
