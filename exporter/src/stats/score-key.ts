/**
 * Keys of probability scores, on which the adaptive and quantile grids lay out their cells
 * (adaptive-grid.ts, quantile-grid.ts).
 */

/** Keys are below 2^KEY_BITS; at level KEY_BITS every score in (0, 1) shares one cell. */
export const KEY_BITS = 51;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian on every platform Node runs on: u32[1] holds sign, exponent and top mantissa bits.
const HI = 1;
const LO = 0;

function key52(x: number): number {
  f64[0] = x;
  return u32[HI] * 0x100000 + (u32[LO] >>> 12);
}
const HALF_KEY = key52(0.5);

/** The finest key of a score p in (0, 1): monotone non-decreasing in p, below 2^51. */
export function scoreKey(p: number): number {
  return p <= 0.5 ? key52(p) : 2 * HALF_KEY - key52(1 - p);
}

/** Every key of a score is below it. */
export const KEY_LIMIT = 2 ** KEY_BITS;

/**
 * A score at key k (0 ≤ k < KEY_LIMIT): the smallest one for k up to ½'s key; above, 1 − the score
 * at the mirror key, whose key may be k's neighbour after rounding.
 */
export function scoreAtKey(k: number): number {
  if (k > HALF_KEY) return 1 - scoreAtKey(2 * HALF_KEY - k);
  u32[HI] = Math.floor(k / 0x100000);
  u32[LO] = (k % 0x100000) * 0x1000;
  return f64[0];
}
