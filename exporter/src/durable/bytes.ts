/** Thrown on bytes a snapshot decoder cannot read (truncated, corrupt, or of another shape). */
export class SnapshotFormatError extends Error {}

/**
 * A growable little-endian byte buffer for snapshots. Unsigned integers are LEB128 varints
 * (counts are mostly small), doubles are 8 bytes, strings are UTF-8 with a varint length.
 */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(256);
  private n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }

  u8(x: number): void {
    this.room(1);
    this.buf[this.n++] = x;
  }

  /** A non-negative integer up to 2^53. */
  uint(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`not a non-negative safe integer: ${x}`);
    this.room(8);
    while (x >= 0x80) {
      this.buf[this.n++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.n++] = x;
  }

  f64(x: number): void {
    this.room(8);
    this.buf.writeDoubleLE(x, this.n);
    this.n += 8;
  }

  str(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.uint(len);
    this.room(len);
    this.buf.write(s, this.n, 'utf8');
    this.n += len;
  }

  bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /**
   * Non-negative integer counts, sparse (index gaps and values) or dense, whichever is
   * shorter: window buckets are mostly zeros.
   */
  counts(a: ArrayLike<number>): void {
    let nonZero = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) nonZero++;
    this.uint(a.length);
    if (nonZero * 2 < a.length) {
      this.u8(0);
      this.uint(nonZero);
      let last = -1;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === 0) continue;
        this.uint(i - last - 1);
        this.uint(a[i]);
        last = i;
      }
    } else {
      this.u8(1);
      for (let i = 0; i < a.length; i++) this.uint(a[i]);
    }
  }

  f64s(a: ArrayLike<number>): void {
    this.uint(a.length);
    for (let i = 0; i < a.length; i++) this.f64(a[i]);
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

export class ByteReader {
  private i = 0;

  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.i >= this.buf.length;
  }

  private need(k: number): void {
    if (this.i + k > this.buf.length) throw new SnapshotFormatError('snapshot truncated');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.i++];
  }

  uint(): number {
    let x = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      x += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new SnapshotFormatError('varint too long');
    }
    return x;
  }

  /** A varint that must not exceed `max` (a length or index), so corrupt bytes cannot make us allocate wildly. */
  bounded(max: number, what: string): number {
    const x = this.uint();
    if (x > max) throw new SnapshotFormatError(`${what} ${x} exceeds ${max}`);
    return x;
  }

  f64(): number {
    this.need(8);
    const x = this.buf.readDoubleLE(this.i);
    this.i += 8;
    return x;
  }

  str(): string {
    const len = this.bounded(this.buf.length - this.i, 'string length');
    const s = this.buf.toString('utf8', this.i, this.i + len);
    this.i += len;
    return s;
  }

  bytes(): Buffer {
    const len = this.bounded(this.buf.length - this.i, 'byte length');
    const b = this.buf.subarray(this.i, this.i + len);
    this.i += len;
    return b;
  }

  /** Counts written by ByteWriter.counts; their number must be `expected` when given. */
  counts(expected?: number): number[] {
    const len = this.bounded(expected ?? this.buf.length * 8, 'count vector length');
    if (expected !== undefined && len !== expected) throw new SnapshotFormatError(`count vector of ${len}, expected ${expected}`);
    const out = new Array<number>(len).fill(0);
    const form = this.u8();
    if (form === 0) {
      const nonZero = this.bounded(len, 'non-zero counts');
      let i = -1;
      for (let k = 0; k < nonZero; k++) {
        i += this.uint() + 1;
        if (i >= len) throw new SnapshotFormatError('sparse index beyond the vector');
        out[i] = this.uint();
      }
    } else if (form === 1) {
      for (let i = 0; i < len; i++) out[i] = this.uint();
    } else throw new SnapshotFormatError(`unknown count vector form ${form}`);
    return out;
  }

  f64s(max: number): number[] {
    const len = this.bounded(max, 'double vector length');
    const out = new Array<number>(len);
    for (let i = 0; i < len; i++) out[i] = this.f64();
    return out;
  }
}
