import { flatString } from '../ingest/bounded-names.js';

/**
 * Exposition lines for a fixed list of metric families, written by one unit (a model version,
 * or the fleet-wide lines). A scrape joins every unit's lines family by family, so a unit that
 * did not change can hand over the text it rendered before instead of formatting it again.
 */
export class FamilyParts {
  /** Per family: line pieces (prefix, value, newline, prefix, …). */
  private readonly lines: string[][];

  /** `names[f]` is the metric name of family index f. */
  constructor(private readonly names: readonly string[]) {
    this.lines = names.map(() => []);
  }

  /** `name{labels} ` of family f, the part of a line before its value (see samplePrefixed). */
  prefix(f: number, labels: string, suffix = ''): string {
    return labels ? `${this.names[f]}${suffix}{${labels}} ` : `${this.names[f]}${suffix} `;
  }

  /** prefix(), as one flat string: for prefixes a caller keeps and reuses every scrape. */
  keptPrefix(f: number, labels: string, suffix = ''): string {
    return flatString(this.prefix(f, labels, suffix));
  }

  /** Adds `name{labels} value` to family f; `labels` is already escaped (`a="x",b="y"`), `suffix` e.g. `_bucket`. */
  sample(f: number, labels: string, value: number, suffix = ''): void {
    this.lines[f].push(this.prefix(f, labels, suffix), formatValue(value), '\n');
  }

  /**
   * Adds a line whose prefix (from `prefix(f, …)`) the caller kept: a feature's prefixes are
   * the same every scrape, and building them again would be most of a scrape's garbage.
   */
  samplePrefixed(f: number, prefix: string, value: number): void {
    this.lines[f].push(prefix, formatValue(value), '\n');
  }

  /** Forgets the lines written since the last render (a unit that failed half-way). */
  discard(): void {
    for (const pieces of this.lines) pieces.length = 0;
  }

  /**
   * The unit's sample lines, family after family, encoded once, and the writer emptied for the
   * next unit. Kept as bytes (outside the V8 heap) rather than strings: a scrape that re-renders
   * every version would otherwise leave ~12 MiB of strings per scrape for the garbage collector
   * to promote and later mark. The pieces are joined once, never concatenated line by line.
   */
  render(previous?: RenderedUnit): RenderedUnit {
    const families = this.lines.length;
    const all: string[] = [];
    const starts = new Array<number>(families + 1);
    starts[0] = 0;
    let chars = 0;
    for (let f = 0; f < families; f++) {
      const pieces = this.lines[f];
      for (let i = 0; i < pieces.length; i++) {
        all.push(pieces[i]);
        chars += pieces[i].length;
      }
      starts[f + 1] = chars;
    }
    const text = all.join('');
    const size = Buffer.byteLength(text, 'utf8');
    // Offsets in characters are offsets in bytes only when every character is ASCII.
    if (size !== text.length) {
      for (let f = 0; f < families; f++) starts[f + 1] = starts[f] + Buffer.byteLength(this.lines[f].join(''), 'utf8');
    }
    for (const pieces of this.lines) pieces.length = 0;
    // A unit re-rendered is about as long as before: its storage is reused while the text fits,
    // so a scrape that re-renders every version allocates (and later frees) no memory for it.
    let storage = previous?.storage;
    if (!storage || storage.length < size) storage = Buffer.allocUnsafeSlow(size + (size >> 3) + 256);
    storage.write(text, 0, size, 'utf8');
    return { bytes: storage.subarray(0, size), starts, storage };
  }
}

/** Sample lines of the families of one unit (see FamilyParts.render). */
export interface RenderedUnit {
  /** Every family's sample lines, family after family, UTF-8. */
  bytes: Buffer;
  /** Family f's lines are bytes[starts[f], starts[f + 1]); one entry more than there are families. */
  starts: number[];
  /** What `bytes` is the beginning of, with room to spare for the unit's next rendering. */
  storage: Buffer;
}

/** Prometheus float text: NaN and infinities spelled as the format wants. */
export function formatValue(v: number): string {
  if (Number.isFinite(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}
