// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The label value everything beyond a cardinality bound folds into. */
export const OTHER = '__other__';

/**
 * Interns names that become label values (classes, error reasons), up to `max` of them; any
 * further name, or one too long to be a label value, maps to `__other__`. So a client sending
 * endless distinct names grows the series count by at most max + 1.
 */
export class BoundedNames {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxLength: number,
  ) {}

  /** Index of `name`, or of `__other__` (`folded` true) when the bound is reached. */
  indexOf(name: string): { index: number; folded: boolean } {
    const known = this.index.get(name);
    if (known !== undefined) return { index: known, folded: false };
    if (this.names.length < this.max && name !== OTHER && name.length <= this.maxLength && !CONTROL.test(name)) {
      return { index: this.add(name), folded: false };
    }
    return { index: this.index.get(OTHER) ?? this.add(OTHER), folded: true };
  }

  /** Index if already interned; never adds. */
  peek(name: string): number | undefined {
    return this.index.get(name);
  }

  get size(): number {
    return this.names.length;
  }

  private add(name: string): number {
    const i = this.names.length;
    this.names.push(name);
    this.index.set(name, i);
    return i;
  }
}

/** Escapes a label value for the Prometheus text format. */
export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/**
 * The same text as one flat string. A string built from template literals is a tree of its
 * parts in V8, which every join or encode that copies it walks again; label strings and line
 * prefixes kept for the life of a version are copied into every scrape that renders it.
 * Through UTF-8, so ASCII text stays a one-byte string; a lone surrogate becomes U+FFFD, as it
 * would anyway when the exposition is encoded.
 */
export function flatString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
