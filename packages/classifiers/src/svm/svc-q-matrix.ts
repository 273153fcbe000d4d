import type { FeatureRows } from './feature-rows.js';
import { kernelFromDot, type Kernel } from './kernel.js';
import type { KernelCache } from './kernel-cache.js';
import { BLOCK_ROWS, kernelRows, type KernelRowsScratch } from './kernel-rows.js';

/**
 * The matrix Q of a binary C-SVC dual, Q_ij = y_i y_j K(x_i, x_j), served row by row from a
 * {@link KernelCache} (LIBSVM's `SVC_Q`). Positions 0..l-1 are the problem's samples; the solver
 * permutes them with {@link swapIndex} to keep its active set at the front, and asks only for
 * the first `length` entries of a row.
 */
export class SvcQMatrix {
  /** l, the number of samples. */
  readonly size: number;
  /** Q_ii = K(x_i, x_i), in the current position order. */
  readonly diagonal: Float64Array;
  /** Storage of the cached rows: row offsets returned by {@link row} index into it. */
  readonly data: Float32Array;
  /** The feature row (index into `rows`) of each position. */
  private readonly members: Int32Array;
  /** y_i = +1 or -1 of each position. */
  private readonly signs: Int8Array;
  /** Positions, feature rows and cache slots of the rows being computed. */
  private readonly query = new Int32Array(BLOCK_ROWS);
  private readonly queryRows = new Int32Array(BLOCK_ROWS);
  private readonly claimed = new Int32Array(BLOCK_ROWS);

  /**
   * @param members The sample at each position, as an index into `rows` (copied).
   * @param y +1 or -1 for each position (copied).
   */
  constructor(
    private readonly kernel: Kernel,
    private readonly rows: FeatureRows,
    members: Int32Array,
    y: Int8Array,
    private readonly cache: KernelCache,
    private readonly scratch: KernelRowsScratch,
  ) {
    this.size = members.length;
    this.members = Int32Array.from(members);
    this.signs = Int8Array.from(y);
    this.data = cache.data;
    this.diagonal = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const norm = rows.squaredNorms[this.members[i]];
      this.diagonal[i] = kernelFromDot(kernel, norm, norm, norm);
    }
  }

  /**
   * Where row i of Q starts in {@link data}, with at least entries [0, length) computed. The
   * offset stays valid until two other rows have been requested.
   *
   * When row i is not cached at all, up to {@link BLOCK_ROWS} - 1 of `likelyNext` (rows the
   * solver expects to need soon; -1 entries are skipped) that are not cached either are
   * computed in the same pass, as long as the cache has free slots for them: a block of rows
   * costs little more than one, and no cached row is evicted for a guess.
   */
  row(i: number, length: number, likelyNext?: Int32Array): number {
    const { cache } = this;
    let slot = cache.find(i);
    if (slot >= 0) {
      const from = cache.validLength(slot);
      if (from < length) {
        this.query[0] = i;
        this.claimed[0] = slot;
        this.fill(1, from, length);
      }
      return cache.offset(slot);
    }
    slot = cache.claim(i);
    this.query[0] = i;
    this.claimed[0] = slot;
    let count = 1;
    if (likelyNext !== undefined) {
      for (let c = 0; c < likelyNext.length && count < BLOCK_ROWS; c++) {
        const other = likelyNext[c];
        if (other < 0 || other === i || cache.has(other) || cache.freeSlots() === 0) continue;
        this.query[count] = other;
        this.claimed[count] = cache.claim(other);
        count++;
      }
    }
    this.fill(count, 0, length);
    return cache.offset(slot);
  }

  /**
   * Makes rows `positions[0..count)` (at most {@link BLOCK_ROWS}, distinct) available with at
   * least `length` entries, computing the missing ones in one pass over the samples, and writes
   * their offsets to `offsets`. The offsets stay valid until two other rows have been requested.
   */
  rows4(positions: Int32Array, count: number, length: number, offsets: Int32Array): void {
    let missing = 0;
    let from = length;
    for (let r = 0; r < count; r++) {
      const i = positions[r];
      let slot = this.cache.find(i);
      if (slot < 0) slot = this.cache.claim(i);
      offsets[r] = this.cache.offset(slot);
      const valid = this.cache.validLength(slot);
      if (valid < length) {
        this.query[missing] = i;
        this.claimed[missing] = slot;
        missing++;
        if (valid < from) from = valid;
      }
    }
    if (missing > 0) this.fill(missing, from, length);
  }

  /** Renames positions i and j (see {@link KernelCache.swapIndex}). */
  swapIndex(i: number, j: number): void {
    this.cache.swapIndex(i, j);
    swap(this.members, i, j);
    swap(this.signs, i, j);
    swap(this.diagonal, i, j);
  }

  /** Computes entries [from, to) of the rows `query[0..count)` into their `claimed` slots. */
  private fill(count: number, from: number, to: number): void {
    const { members, signs, scratch, data, cache } = this;
    for (let r = 0; r < count; r++) this.queryRows[r] = members[this.query[r]];
    kernelRows(
      this.kernel,
      this.rows,
      this.queryRows,
      count,
      this.rows,
      members,
      from,
      to,
      scratch,
    );
    const { values, stride } = scratch;
    for (let r = 0; r < count; r++) {
      const slot = this.claimed[r];
      const base = cache.offset(slot);
      const sign = signs[this.query[r]];
      const start = r * stride;
      for (let t = from; t < to; t++) data[base + t] = sign * signs[t] * values[start + t];
      cache.setValidLength(slot, to);
    }
  }
}

function swap(a: Int32Array | Int8Array | Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
