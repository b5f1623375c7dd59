import { BinCounts, checkedDifference, type CountRole, type NumberStash } from './counts.js';
import { OTHER_CATEGORY, type CategoricalFeatureReference } from './feature-reference.js';

/**
 * Window state of one categorical feature: a count per reference category, `maxCategories`
 * slots for categories the reference does not list ("unseen" ones), and `__other__`. Memory
 * is fixed by the reference and `maxCategories`, not by traffic.
 *
 * When the reference itself folded its tail into `__other__`, a window value outside the
 * reference's categories may come from that tail, so it is counted in the reference's
 * `__other__` (the union of categories then has the tail as one category). Only when the
 * reference lists every category it saw is a new value "unseen" and given a slot.
 *
 * An unseen category goes to the slot picked by a hash of its name, never by arrival order.
 * That is what makes merge and subtract exact: every state puts a category in the same slot,
 * so a window that adds each event to a bucket and to a running total can subtract the bucket
 * later without knowing what the total saw in between (arrival-order slotting cannot: a bucket
 * and the total would fold different categories). When two unseen categories share a slot
 * they are counted together (add returns false for the later one). That loses nothing for
 * the Jensen–Shannon distance — an unseen category contributes q·ln2/2, linear in q, so
 * lumping unseen categories leaves it unchanged — and only perturbs categorical PSI.
 */
export class CategoricalFeatureState {
  /** Counts aligned with ref.categories. */
  private readonly refCounts: BinCounts;
  /** Counts per unseen-category slot. */
  private readonly slotCounts: BinCounts;
  /**
   * Name of one category counted in each slot (for labelling only; not used by arithmetic).
   * Allocated with the first unseen category: most windows never see one, and an array of
   * maxCategories names per bucket would cost more heap than the counts themselves.
   */
  private slotNames: Array<string | undefined> | undefined;
  private otherCount = 0;
  private nonMissing = 0;
  private missingCount = 0;
  private readonly refIndex: ReadonlyMap<string, number>;
  private readonly refOtherIndex: number;

  constructor(
    readonly ref: CategoricalFeatureReference,
    readonly maxCategories: number,
    role: CountRole = 'total',
  ) {
    if (!Number.isInteger(maxCategories) || maxCategories < 0) throw new RangeError('maxCategories must be a non-negative integer');
    this.refIndex = referenceIndex(ref);
    this.refOtherIndex = this.refIndex.get(OTHER_CATEGORY) ?? -1;
    this.refCounts = new BinCounts(ref.categories.length, role, 0);
    // A reference that folded its tail counts every unknown value in its __other__: no slots.
    const slots = this.refOtherIndex >= 0 ? 0 : maxCategories;
    this.slotCounts = new BinCounts(slots, role, 1);
  }

  /** Saves the state for a rollback (see BinCounts.saveState); returns what writes it back. */
  saveState(stash: NumberStash): () => void {
    const refCounts = this.refCounts.saveState(stash);
    const slotCounts = this.slotCounts.saveState(stash);
    const { otherCount, nonMissing, missingCount } = this;
    const slotNames = this.slotNames;
    const names = slotNames?.slice();
    return () => {
      refCounts();
      slotCounts();
      this.otherCount = otherCount;
      this.nonMissing = nonMissing;
      this.missingCount = missingCount;
      this.slotNames = slotNames;
      if (slotNames && names) {
        slotNames.length = names.length;
        for (let i = 0; i < names.length; i++) slotNames[i] = names[i];
      }
    };
  }

  /** Non-missing values in the window. */
  get count(): number {
    return this.nonMissing;
  }

  get missing(): number {
    return this.missingCount;
  }

  /**
   * Window counts over the union of categories: every reference category in reference order
   * (zeros and the reference's `__other__` included), then the unseen-category slots that
   * hold counts (named by a category they hold), then `__other__` when the reference has none
   * but the window does (the literal value, or maxCategories = 0).
   */
  categoryCounts(): Array<{ category: string; count: number; inReference: boolean }> {
    const out: Array<{ category: string; count: number; inReference: boolean }> = [];
    const refCounts = this.refCounts.view();
    this.ref.categories.forEach((category, i) => {
      out.push({ category, count: refCounts[i], inReference: true });
    });
    const slotCounts = this.slotCounts.view();
    for (let s = 0; s < slotCounts.length; s++) {
      if (slotCounts[s] > 0) out.push({ category: this.slotNames?.[s] ?? `__slot_${s}__`, count: slotCounts[s], inReference: false });
    }
    if (this.otherCount > 0) out.push({ category: OTHER_CATEGORY, count: this.otherCount, inReference: false });
    return out;
  }

  /** Counts aligned with ref.categories (read-only), for drift without building categoryCounts(). */
  referenceCounts(): ArrayLike<number> {
    return this.refCounts.view();
  }

  /** Counts per unseen-category slot (read-only), then the count of the window's own `__other__`. */
  unseenCounts(): { slots: ArrayLike<number>; other: number } {
    return { slots: this.slotCounts.view(), other: this.otherCount };
  }

  /**
   * Counts one value. Returns false when the value lost its identity: it is not a reference
   * category and the reference folded its own tail into `__other__` (the value may belong to
   * that tail, so it is counted there), or no unseen slots exist (maxCategories = 0), or its
   * slot already holds a different unseen category.
   */
  add(category: string): boolean {
    this.nonMissing++;
    const i = this.refIndex.get(category);
    if (i !== undefined) {
      this.refCounts.increment(i);
      return true;
    }
    if (this.refOtherIndex >= 0) {
      this.refCounts.increment(this.refOtherIndex);
      return false;
    }
    if (category === OTHER_CATEGORY || this.maxCategories === 0) {
      this.otherCount++;
      return category === OTHER_CATEGORY;
    }
    const s = slotOf(category, this.maxCategories);
    const held = this.slotCounts.get(s);
    const names = this.names();
    const alone = held === 0 || names[s] === category;
    if (held === 0) names[s] = category;
    this.slotCounts.increment(s);
    return alone;
  }

  addMissing(): void {
    this.missingCount++;
  }

  merge(o: CategoricalFeatureState): void {
    this.checkCompatible(o);
    if (o.slotNames) {
      const names = this.names();
      for (let s = 0; s < o.slotCounts.size; s++) {
        if (o.slotCounts.get(s) > 0 && this.slotCounts.get(s) === 0) names[s] = o.slotNames[s];
      }
    }
    this.refCounts.add(o.refCounts);
    this.slotCounts.add(o.slotCounts);
    this.otherCount += o.otherCount;
    this.nonMissing += o.nonMissing;
    this.missingCount += o.missingCount;
  }

  /** Removes a state that was merged (or whose values were added) earlier; exact. */
  subtract(o: CategoricalFeatureState): void {
    this.checkCompatible(o);
    // Everything is checked first so that a refused subtract changes nothing.
    const nonMissing = checkedDifference(this.nonMissing, o.nonMissing);
    const missing = checkedDifference(this.missingCount, o.missingCount);
    const other = checkedDifference(this.otherCount, o.otherCount);
    if (!this.refCounts.covers(o.refCounts) || !this.slotCounts.covers(o.slotCounts)) {
      throw new RangeError('subtracting a state that was not merged in');
    }
    this.refCounts.subtract(o.refCounts);
    this.slotCounts.subtract(o.slotCounts);
    const names = this.slotNames;
    if (names) for (let s = 0; s < names.length; s++) if (this.slotCounts.get(s) === 0) names[s] = undefined;
    this.otherCount = other;
    this.nonMissing = nonMissing;
    this.missingCount = missing;
  }

  clear(): void {
    this.refCounts.clear();
    this.slotCounts.clear();
    this.slotNames?.fill(undefined);
    this.otherCount = 0;
    this.nonMissing = 0;
    this.missingCount = 0;
  }

  private names(): Array<string | undefined> {
    return (this.slotNames ??= new Array<string | undefined>(this.slotCounts.size).fill(undefined));
  }

  private checkCompatible(o: CategoricalFeatureState): void {
    if (o.maxCategories !== this.maxCategories) throw new RangeError('states with different maxCategories');
    if (o.ref !== this.ref && o.ref.categories.join('\u0000') !== this.ref.categories.join('\u0000')) {
      throw new RangeError('states built on different references');
    }
  }
}

/** One category index per reference, shared by all the states (buckets, total) built on it. */
const indexes = new WeakMap<CategoricalFeatureReference, ReadonlyMap<string, number>>();
function referenceIndex(ref: CategoricalFeatureReference): ReadonlyMap<string, number> {
  let index = indexes.get(ref);
  if (!index) indexes.set(ref, (index = new Map(ref.categories.map((c, i) => [c, i]))));
  return index;
}

/**
 * Slot of an unseen category: 32-bit FNV-1a of its UTF-16 code units, then MurmurHash3's
 * finaliser (FNV-1a alone spreads short strings poorly over the low bits), modulo the slot count.
 */
export function slotOf(category: string, slots: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < category.length; i++) {
    h ^= category.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % slots;
}
