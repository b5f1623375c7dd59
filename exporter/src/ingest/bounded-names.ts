import { createHash } from 'node:crypto';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The label value everything beyond a cardinality bound folds into. */
export const OTHER = '__other__';

/** Characters of the short hash a shortened label ends with ("~" and 8 hex digits of SHA-256). */
const HASH_SUFFIX = 9;

/**
 * Interns names that become label values (classes, error reasons), up to `max` of them; any
 * further name maps to `__other__`, so a client sending endless distinct names grows the series
 * count by at most max + 1. A name longer than `maxLength` keeps its own index, under a distinct
 * bounded label: its first maxLength − 9 characters, "~" and 8 hex digits of the SHA-256 of the
 * whole name — two long classes of a binary model stay two classes (positive and negative),
 * so ROC AUC and log loss are sklearn's on the names sent. A name with control characters, a
 * `maxLength` too small for the suffix, or a shortened label another name already holds folds.
 * `names` are the exact names (by index), `labels` the label values.
 */
export class BoundedNames {
  readonly names: string[] = [];
  readonly labels: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly labelSet = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength: number,
  ) {}

  /** Index of `name`, or of `__other__` (`folded` true) when the bound is reached. */
  indexOf(name: string): { index: number; folded: boolean } {
    const known = this.index.get(name);
    if (known !== undefined) return { index: known, folded: false };
    if (this.names.length < this.max && name !== OTHER && !CONTROL.test(name)) {
      const label = this.labelFor(name);
      if (label !== undefined && !this.labelSet.has(label)) return { index: this.add(name, label), folded: false };
    }
    return { index: this.index.get(OTHER) ?? this.add(OTHER, OTHER), folded: true };
  }

  /** Index if already interned; never adds. */
  peek(name: string): number | undefined {
    return this.index.get(name);
  }

  get size(): number {
    return this.names.length;
  }

  /** The label value of a name: itself, its shortened form, or undefined when it cannot have one. */
  private labelFor(name: string): string | undefined {
    if (name.length <= this.maxLength) return name;
    if (this.maxLength <= HASH_SUFFIX) return undefined;
    let head = name.slice(0, this.maxLength - HASH_SUFFIX);
    // Never end on half a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
    return `${head}~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  }

  private add(name: string, label: string): number {
    const i = this.names.length;
    this.names.push(name);
    this.labels.push(label);
    this.index.set(name, i);
    this.labelSet.add(label);
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
