import { allocate, type Allocator } from '@typedlearn/tensor';
import {
  claimBlock,
  findBlock,
  publishBlock,
  type ClassBlockStore,
  type ClassGrouping,
} from './class-blocks.js';
import type { FeatureRows } from './feature-rows.js';
import { kernelFromDot, type Kernel } from './kernel.js';
import type { KernelCache } from './kernel-cache.js';
import { BLOCK_ROWS, kernelRows, type KernelRowsScratch } from './kernel-rows.js';

/**
 * The matrix Q of a binary C-SVC dual, Q_ij = y_i y_j K(x_i, x_j), served row by row from a
 * {@link KernelCache} (LIBSVM's `SVC_Q`). Positions 0..l-1 are the problem's samples; the solver
 * permutes them with {@link swapIndex} to keep its active set at the front, and asks only for
 * the first `length` entries of a row.
 *
 * With a {@link ClassBlockStore}, the entries of row i inside its own class are copied from the
 * row's class block (computed once for all the pairs the class takes part in), and only the
 * entries of the other class are computed.
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
  /** Per row being computed: where its class block starts, or -1 without one. */
  private readonly blockOffset = new Int32Array(BLOCK_ROWS);
  /** The positions of a range split by class (y = +1, y = -1), and their feature rows. */
  private readonly positions: [Int32Array, Int32Array];
  private readonly positionRows: [Int32Array, Int32Array];
  private readonly positionCount = new Int32Array(2);
  /** The range `positions` was split for, and the swap count then. */
  private readonly split = { from: -1, to: -1, swaps: 0 };
  /** How many times {@link swapIndex} has renamed positions. */
  private swaps = 0;
  private readonly group = new Int32Array(BLOCK_ROWS);
  /** Per row being computed: 1 when its class block was claimed by this fill (to be built). */
  private readonly fresh = new Uint8Array(BLOCK_ROWS);
  private readonly groupRows = new Int32Array(BLOCK_ROWS);

  /**
   * @param members The sample at each position, as an index into `rows` (copied); with class
   *   blocks, a grouped position.
   * @param y +1 or -1 for each position (copied).
   * @param classBlocks Shared within-class kernel rows, with the grouping they are indexed by.
   * @param allocator Makes {@link diagonal} (a `KernelsArena`'s lets the solver's scans read it
   *   in place).
   */
  constructor(
    private readonly kernel: Kernel,
    private readonly rows: FeatureRows,
    members: Int32Array,
    y: Int8Array,
    private readonly cache: KernelCache,
    private readonly scratch: KernelRowsScratch,
    private readonly classBlocks?: { store: ClassBlockStore; grouping: ClassGrouping },
    allocator: Allocator = allocate,
  ) {
    this.size = members.length;
    const split = classBlocks === undefined ? 0 : this.size;
    this.positions = [new Int32Array(split), new Int32Array(split)];
    this.positionRows = [new Int32Array(split), new Int32Array(split)];
    this.members = Int32Array.from(members);
    this.signs = Int8Array.from(y);
    this.data = cache.data;
    this.diagonal = allocator('float64', this.size);
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
      // Rows of i's class first: with class blocks, rows of one class share a pass over the other.
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < likelyNext.length && count < BLOCK_ROWS; c++) {
          const other = likelyNext[c];
          if (other < 0 || other === i || cache.has(other) || cache.freeSlots() === 0) continue;
          if ((this.signs[other] === this.signs[i]) !== (pass === 0)) continue;
          this.query[count] = other;
          this.claimed[count] = cache.claim(other);
          count++;
        }
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
  rowBlock(positions: Int32Array, count: number, length: number, offsets: Int32Array): void {
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
    this.swaps++;
    this.cache.swapIndex(i, j);
    swap(this.members, i, j);
    swap(this.signs, i, j);
    swap(this.diagonal, i, j);
  }

  /** Computes entries [from, to) of the rows `query[0..count)` into their `claimed` slots. */
  private fill(count: number, from: number, to: number): void {
    if (this.classBlocks === undefined) this.fillDirect(count, from, to);
    else this.fillWithClassBlocks(count, from, to, this.classBlocks);
    for (let r = 0; r < count; r++) this.cache.setValidLength(this.claimed[r], to);
  }

  /** Every entry from the kernel: Q_it = y_i y_t K(x_i, x_t). */
  private fillDirect(count: number, from: number, to: number): void {
    const { members, signs, scratch, data, cache, queryRows, query } = this;
    for (let r = 0; r < count; r++) queryRows[r] = members[query[r]];
    kernelRows(this.kernel, this.rows, queryRows, count, this.rows, members, from, to, scratch);
    const { values, stride } = scratch;
    for (let r = 0; r < count; r++) {
      const base = cache.offset(this.claimed[r]);
      const sign = signs[query[r]];
      const start = r * stride;
      for (let t = from; t < to; t++) data[base + t] = sign * signs[t] * values[start + t];
    }
  }

  /**
   * Own-class entries from class blocks, the other class's entries from the kernel. A row
   * without a block gets one when most of its class is in range, built in a pass over the whole
   * class that the other side's rows needing this class's entries join: a pass costs little
   * more for a few queries than for one.
   */
  private fillWithClassBlocks(
    count: number,
    from: number,
    to: number,
    { store, grouping }: { store: ClassBlockStore; grouping: ClassGrouping },
  ): void {
    const { members, signs, query, blockOffset, positionCount, fresh } = this;
    this.splitByClass(from, to);
    for (let r = 0; r < count; r++) {
      const g = members[query[r]];
      let offset = findBlock(store, g);
      fresh[r] = 0;
      if (offset < 0) {
        const c = grouping.classOf[g];
        const classSize = grouping.classStart[c + 1] - grouping.classStart[c];
        // A block costs the whole class; build it when the range covers most of the class.
        if (2 * positionCount[sideOf(signs[query[r]])] >= classSize) {
          offset = claimBlock(store, g);
          if (offset >= 0) fresh[r] = 1;
        }
      }
      blockOffset[r] = offset;
    }

    // side 0: y = +1 (the pair's first class), side 1: y = -1. Per side: the rows whose block
    // this fill claimed, then the other side's rows with a block, which need this side's entries
    // only. At most BLOCK_ROWS rows in all, so one pass serves both when there are blocks to build.
    const { group } = this;
    for (let side = 0; side < 2; side++) {
      let builders = 0;
      for (let r = 0; r < count; r++) {
        if (sideOf(signs[query[r]]) === side && fresh[r] === 1) group[builders++] = r;
      }
      let n = builders;
      for (let r = 0; r < count; r++) {
        if (sideOf(signs[query[r]]) !== side && blockOffset[r] >= 0) group[n++] = r;
      }
      if (builders > 0) this.passOverClass(side, builders, n, store, grouping);
      else if (n > 0) this.fillGroupOtherClass(n, side);
    }
    let n = 0;
    for (let r = 0; r < count; r++) if (blockOffset[r] < 0) group[n++] = r;
    if (n > 0) this.fillGroupDirect(n, from, to);
    for (let r = 0; r < count; r++) {
      if (blockOffset[r] >= 0) this.copyOwnClass(r, store, grouping);
    }
  }

  /**
   * positions[side] = the positions in [from, to) of class side (0: y = +1, 1: y = -1). Kept
   * until the range or the order of positions (a swap) changes: most fills ask for the same.
   */
  private splitByClass(from: number, to: number): void {
    const { signs, members, positions, positionRows, positionCount, split } = this;
    if (split.from === from && split.to === to && split.swaps === this.swaps) return;
    split.from = from;
    split.to = to;
    split.swaps = this.swaps;
    positionCount.fill(0);
    for (let t = from; t < to; t++) {
      const side = sideOf(signs[t]);
      const k = positionCount[side]++;
      positions[side][k] = t;
      positionRows[side][k] = members[t];
    }
  }

  /**
   * One pass over every row of class `side` for the rows query[group[0..n)]: the blocks of the
   * first `builders` (claimed, of that class) computed and published; for the rest (the other
   * side's rows), their entries at the positions of the class in range (Q = -K there).
   */
  private passOverClass(
    side: number,
    builders: number,
    n: number,
    store: ClassBlockStore,
    grouping: ClassGrouping,
  ): void {
    const { scratch, group, groupRows, query, members, blockOffset } = this;
    for (let k = 0; k < n; k++) groupRows[k] = members[query[group[k]]];
    const c = grouping.classOf[groupRows[0]];
    const classStart = grouping.classStart[c];
    const classRows = grouping.positions.subarray(classStart, grouping.classStart[c + 1]);
    const size = classRows.length;
    kernelRows(this.kernel, this.rows, groupRows, n, this.rows, classRows, 0, size, scratch);
    const { values, stride } = scratch;
    for (let k = 0; k < builders; k++) {
      const offset = blockOffset[group[k]];
      const start = k * stride;
      store.data.set(values.subarray(start, start + size), offset);
      publishBlock(store, groupRows[k]);
    }
    // The joined rows' entries: at each position of the class in range, the value of its rank.
    const at = this.positions[side];
    const rowsAt = this.positionRows[side];
    const inRange = this.positionCount[side];
    const { data, cache, claimed } = this;
    for (let k = builders; k < n; k++) {
      const base = cache.offset(claimed[group[k]]);
      const start = k * stride - classStart;
      for (let p = 0; p < inRange; p++) data[base + at[p]] = -values[start + rowsAt[p]];
    }
  }

  /** Rows query[group[0..n)] over all of [from, to), from the kernel. */
  private fillGroupDirect(n: number, from: number, to: number): void {
    const { group, query, claimed, members, signs, scratch, data, cache, groupRows } = this;
    for (let k = 0; k < n; k++) groupRows[k] = members[query[group[k]]];
    kernelRows(this.kernel, this.rows, groupRows, n, this.rows, members, from, to, scratch);
    for (let k = 0; k < n; k++) {
      const r = group[k];
      const base = cache.offset(claimed[r]);
      const sign = signs[query[r]];
      const start = k * scratch.stride;
      for (let t = from; t < to; t++) data[base + t] = sign * signs[t] * scratch.values[start + t];
    }
  }

  /** Rows query[group[0..n)] at the positions of class `side` (the other class: Q = -K). */
  private fillGroupOtherClass(n: number, side: number): void {
    const { group, query, claimed, members, scratch, data, cache, groupRows } = this;
    const targets = this.positionRows[side];
    const at = this.positions[side];
    const size = this.positionCount[side];
    for (let k = 0; k < n; k++) groupRows[k] = members[query[group[k]]];
    kernelRows(this.kernel, this.rows, groupRows, n, this.rows, targets, 0, size, scratch);
    for (let k = 0; k < n; k++) {
      const base = cache.offset(claimed[group[k]]);
      const start = k * scratch.stride;
      for (let p = 0; p < size; p++) data[base + at[p]] = -scratch.values[start + p];
    }
  }

  /** Row query[r]'s entries inside its own class, copied from its block (Q = +K there). */
  private copyOwnClass(r: number, store: ClassBlockStore, grouping: ClassGrouping): void {
    const side = sideOf(this.signs[this.query[r]]);
    const at = this.positions[side];
    const rowsAt = this.positionRows[side];
    const size = this.positionCount[side];
    const base = this.cache.offset(this.claimed[r]);
    // The block is indexed by rank in the class: grouped position minus the class's start.
    const offset =
      this.blockOffset[r] - grouping.classStart[grouping.classOf[this.members[this.query[r]]]];
    const { data } = this;
    for (let p = 0; p < size; p++) data[base + at[p]] = store.data[offset + rowsAt[p]];
  }
}

/** 0 for y = +1 (the pair's first class), 1 for y = -1. */
function sideOf(sign: number): number {
  return sign === 1 ? 0 : 1;
}

function swap(a: Int32Array | Int8Array | Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
