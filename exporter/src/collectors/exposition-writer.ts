import type { MetricType } from '../metrics/catalog.js';
import { escapeLabelValue } from '../ingest/bounded-names.js';
import { formatValue } from './family-writer.js';

/**
 * The two exposition formats /metrics speaks:
 * - `prometheus`: the Prometheus text format 0.0.4
 *   (https://prometheus.io/docs/instrumenting/exposition_formats/);
 * - `openmetrics`: OpenMetrics 1.0 (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md).
 *
 * Their sample lines are byte for byte the same for what the exporter exposes (counters as
 * `x_total`, histograms as `x_bucket`/`x_sum`/`x_count`, gauges as themselves, no timestamps),
 * so pre-rendered sample bytes serve both. Only the family headers differ: OpenMetrics names a
 * counter family without its `_total`, declares the unit its name ends with (`# UNIT`), escapes
 * `"` in HELP, and ends the body with `# EOF`.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** What a family header needs: the catalog's MetricSpec fits, as do prom-client's families. */
export interface FamilyHeader {
  readonly name: string;
  readonly type: MetricType | 'summary';
  readonly help: string;
}

/** Label values by name, in the order they are written; numbers are written as `formatValue` spells them. */
export type Labels = Readonly<Record<string, string | number>>;

/** OpenMetrics units the exporter's names end with (base units only, as both formats want). */
const UNITS = ['seconds', 'bytes', 'ratio'] as const;

/**
 * Collects one scrape's body: each collector writes its families (a header, then sample
 * lines) in turn. Small families go through `sample()`; the monitoring families, most of a
 * fleet's ~190k series, arrive as pre-rendered sample bytes through `bytes()`.
 *
 * A family name may appear once per body (both formats require a family's samples to be
 * contiguous); a second header for it throws, so two collectors cannot silently interleave.
 * Each collector writes into a writer of its own, appended to the body once it is done
 * (see Exposition.render): what a failing collector wrote is simply not appended.
 */
export class ExpositionWriter {
  private readonly chunks: Buffer[] = [];
  /** Text written since the last chunk was cut. */
  private text: string[] = [];
  private readonly families: string[] = [];
  private readonly seen = new Set<string>();
  private current: string | undefined;

  constructor(readonly format: ExpositionFormat) {}

  get contentType(): string {
    return CONTENT_TYPES[this.format];
  }

  /** Starts family `spec.name`: writes its header. @throws Error if the family was already written. */
  family(spec: FamilyHeader): this {
    if (this.seen.has(spec.name)) throw new Error(`metric family ${spec.name} written twice in one scrape`);
    this.seen.add(spec.name);
    this.families.push(spec.name);
    this.current = spec.name;
    this.text.push(familyHeader(spec, this.format));
    return this;
  }

  /**
   * One sample line of the current family: `name+suffix{labels} value`. `suffix` is one of the
   * sample suffixes of the family's type (`_bucket`, `_sum`, `_count`), or '' for the family's
   * own name. Label values are escaped here.
   */
  sample(labels: Labels | undefined, value: number, suffix = ''): this {
    if (this.current === undefined) throw new Error('sample() before family()');
    let line = this.current + suffix;
    if (labels) {
      const parts: string[] = [];
      for (const k in labels) {
        const v = labels[k];
        parts.push(`${k}="${typeof v === 'number' ? formatValue(v) : escapeLabelValue(v)}"`);
      }
      if (parts.length) line += `{${parts.join(',')}}`;
    }
    this.text.push(`${line} ${formatValue(value)}\n`);
    return this;
  }

  /** Sample lines of the current family, already rendered (UTF-8, each ending in a newline). */
  bytes(lines: Buffer): this {
    if (this.current === undefined) throw new Error('bytes() before family()');
    if (lines.length === 0) return this;
    this.cut();
    this.chunks.push(lines);
    return this;
  }

  /**
   * Whole families rendered by the caller: `body` holds, for each of `specs` in order, its
   * header as `familyHeader(spec, this.format)` spells it, then its sample lines. The
   * monitoring collector's hot path (see MonitoringCollector.collect).
   */
  preRendered(specs: readonly FamilyHeader[], body: Buffer): this {
    for (const spec of specs) {
      if (this.seen.has(spec.name)) throw new Error(`metric family ${spec.name} written twice in one scrape`);
      this.seen.add(spec.name);
      this.families.push(spec.name);
    }
    this.current = undefined;
    this.cut();
    this.chunks.push(body);
    return this;
  }

  /**
   * Appends what `part` (a writer of the same format) holds, families and all.
   * @throws Error if a family of `part` was already written here.
   */
  append(part: ExpositionWriter): this {
    if (part.format !== this.format) throw new Error('append() across exposition formats');
    for (const name of part.families) {
      if (this.seen.has(name)) throw new Error(`metric family ${name} written twice in one scrape`);
      this.seen.add(name);
      this.families.push(name);
    }
    this.current = undefined;
    this.cut();
    part.cut();
    this.chunks.push(...part.chunks);
    return this;
  }

  /** The body as chunks (in order), with `# EOF` for OpenMetrics; the writer is done after this. */
  finish(): Buffer[] {
    if (this.format === 'openmetrics') this.text.push('# EOF\n');
    this.cut();
    return this.chunks;
  }

  /** The body as one string (tests, fixtures). */
  toString(): string {
    return Buffer.concat(this.finish()).toString('utf8');
  }

  private cut(): void {
    if (this.text.length === 0) return;
    this.chunks.push(Buffer.from(this.text.join(''), 'utf8'));
    this.text = [];
  }
}

const headers = new Map<string, string>();

/** HELP/TYPE (and for OpenMetrics UNIT) lines of a family, memoised: the same few hundred every scrape. */
export function familyHeader(spec: FamilyHeader, format: ExpositionFormat): string {
  const key = `${format}\u0000${spec.name}\u0000${spec.type}\u0000${spec.help}`;
  let h = headers.get(key);
  if (h === undefined) {
    h = format === 'openmetrics' ? openMetricsHeader(spec) : textHeader(spec);
    headers.set(key, h);
  }
  return h;
}

function textHeader(spec: FamilyHeader): string {
  const help = spec.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `# HELP ${spec.name} ${help}\n# TYPE ${spec.name} ${spec.type}\n`;
}

/** OpenMetrics family: a counter's family name drops `_total`, which its sample keeps. */
function openMetricsHeader(spec: FamilyHeader): string {
  const family = spec.type === 'counter' && spec.name.endsWith('_total') ? spec.name.slice(0, -'_total'.length) : spec.name;
  const help = spec.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  const unit = UNITS.find((u) => family.endsWith(`_${u}`));
  return `# TYPE ${family} ${spec.type}\n${unit ? `# UNIT ${family} ${unit}\n` : ''}# HELP ${family} ${help}\n`;
}
