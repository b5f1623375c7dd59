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
   * The unit's sample lines of each family, each line ending in a newline. Joined into flat
   * strings: a string built by `+=` is a tree that every later join would walk again.
   */
  parts(): string[] {
    return this.lines.map((l) => l.join(''));
  }
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
