/**
 * Exposition lines for a fixed list of metric families, written by one unit (a model version,
 * or the fleet-wide lines). A scrape joins every unit's lines family by family, so a unit that
 * did not change can hand over the text it rendered before instead of formatting it again.
 */
export class FamilyParts {
  private readonly lines: string[][];

  /** `names[f]` is the metric name of family index f. */
  constructor(private readonly names: readonly string[]) {
    this.lines = names.map(() => []);
  }

  /** Adds `name{labels} value` to family f; `labels` is already escaped (`a="x",b="y"`), `suffix` e.g. `_bucket`. */
  sample(f: number, labels: string, value: number, suffix = ''): void {
    this.lines[f].push(labels ? `${this.names[f]}${suffix}{${labels}} ${formatValue(value)}\n` : `${this.names[f]}${suffix} ${formatValue(value)}\n`);
  }

  /**
   * The unit's sample lines, family after family, encoded once. Kept as bytes (outside the V8
   * heap) rather than strings: a scrape that re-renders every version would otherwise leave
   * ~12 MiB of strings per scrape for the garbage collector to promote and later mark.
   */
  render(): RenderedUnit {
    const parts = this.lines.map((l) => (l.length === 0 ? '' : l.join('')));
    const text = parts.join('');
    const bytes = Buffer.from(text, 'utf8');
    const starts = new Array<number>(parts.length + 1);
    starts[0] = 0;
    // Offsets in characters are offsets in bytes when every character is ASCII.
    const ascii = bytes.length === text.length;
    for (let f = 0; f < parts.length; f++) starts[f + 1] = starts[f] + (ascii ? parts[f].length : Buffer.byteLength(parts[f], 'utf8'));
    return { bytes, starts };
  }
}

/** Sample lines of the families of one unit (see FamilyParts.render). */
export interface RenderedUnit {
  /** Every family's sample lines, family after family, UTF-8. */
  bytes: Buffer;
  /** Family f's lines are bytes[starts[f], starts[f + 1]); one entry more than there are families. */
  starts: number[];
}

/** Prometheus float text: NaN and infinities spelled as the format wants. */
export function formatValue(v: number): string {
  if (Number.isFinite(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

/** `# HELP` text escaping (backslash and newline), as the text format wants. */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
