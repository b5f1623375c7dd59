import { Option, type Command } from 'commander';
import { DEFAULT_URL, RegistryClient } from '../client.js';
import { ApiError, exitCodeFor, UsageError } from '../client-errors.js';
import { nameProblem, type NameKind } from '../../names.js';

/** What every client command gets: a configured client and where to write. */
export interface CommandIO {
  client: RegistryClient;
  json: boolean;
  /** Prints `value` as JSON with --json, else the human rendering. */
  emit(value: unknown, human: (value: any) => string): void;
  /** A line of human-only progress or explanation (suppressed with --json). */
  note(line: string): void;
}

interface GlobalFlags {
  url: string;
  token?: string;
  json?: boolean;
}

/** --url/--token/--json on the program, so they work before or after the subcommand. */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(new Option('--url <url>', 'exporter base URL').env('MODELWATCH_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'bearer token (prefer the env var: flags show up in ps)').env('MODELWATCH_TOKEN'))
    .option('--json', 'machine-readable output (JSON on stdout, errors included)');
}

/**
 * Wraps a command's work: builds the client from the global flags, and turns any error into
 * a message and the exit code CI pipelines rely on. Sets process.exitCode rather than
 * exiting, so that piped stdout is flushed.
 */
export function handler<A extends unknown[]>(work: (io: CommandIO, ...args: A) => Promise<void>): (...all: unknown[]) => Promise<void> {
  return async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    const json = flags.json === true;
    try {
      checkNames(cmd, all.slice(0, -2));
      const client = new RegistryClient({ url: checkedUrl(flags.url), token: flags.token || undefined });
      const io: CommandIO = {
        client,
        json,
        emit(value, human) {
          process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : ensureNewline(human(value)));
        },
        note(line) {
          if (!json) process.stdout.write(`${line}\n`);
        },
      };
      await work(io, ...(all.slice(0, -1) as A));
    } catch (err) {
      reportError(err, json);
      process.exitCode = exitCodeFor(err);
    }
  };
}

/** Arguments and flags that hold a model or version name, by their commander name. */
const NAME_KINDS: Record<string, NameKind> = {
  model: 'model name',
  version: 'version name',
  fromVersion: 'version name',
  parent: 'version name',
};

/**
 * Refuses a model or version name the exporter would refuse (names.ts), before any request:
 * exit 2 with the rule, rather than a 400 or a 404 for a name that can never exist.
 */
function checkNames(cmd: Command, positional: unknown[]): void {
  const values: [string, unknown][] = cmd.registeredArguments.map((a, i) => [a.name(), positional[i]]);
  values.push(...Object.entries(cmd.opts()));
  for (const [key, value] of values) {
    const kind = NAME_KINDS[key];
    const problem = kind !== undefined && typeof value === 'string' ? nameProblem(kind, value) : undefined;
    if (problem) throw new UsageError(problem);
  }
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError('--url must be http:// or https://');
  return url;
}

function reportError(err: unknown, json: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    const body: Record<string, unknown> = { error: message, exit_code: exitCodeFor(err) };
    if (err instanceof ApiError) {
      body.status = err.status;
      if (err.code !== undefined) body.code = err.code;
      if (err.details !== undefined) body.details = err.details;
    }
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const lines = [`error: ${message}`];
  if (err instanceof ApiError) lines.push(...detailLines(err.details));
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The server's `details` (every failed gate, every bad field) as indented lines. */
export function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.map((d) => `  - ${describeDetail(d)}`);
}

function describeDetail(d: unknown): string {
  if (d === null || typeof d !== 'object') return String(d);
  const o = d as Record<string, unknown>;
  // A failed quality gate: {gate: "min_accuracy", metric, required, actual}.
  if (typeof o.gate === 'string' && typeof o.metric === 'string') {
    const bound = o.gate.startsWith('min_') ? 'at least' : 'at most';
    return `${o.gate}: ${o.metric} is ${o.actual ?? 'missing'}, must be ${bound} ${o.required}`;
  }
  if (typeof o.message === 'string')
    return typeof o.path === 'string' && !o.message.includes(o.path) ? `${o.path}: ${o.message}` : o.message;
  return JSON.stringify(d);
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
