/**
 * An LRU cache of kernel-matrix rows in one Float32Array slab (LIBSVM's `Cache`, with fixed-size
 * slots instead of one allocation per row). Row i of an l x l matrix occupies one slot of l
 * floats, of which a prefix `[0, validLength)` has been computed: the solver only asks for the
 * entries of its active set, which shrinking keeps at the front.
 *
 * Slots are linked in least-recently-used order (a circular list through `previous`/`next`
 * with a sentinel); when every slot is taken, claiming a row evicts the least recently used.
 */
export class KernelCache {
  /** The slab: slot s holds its row in `data[s * rowLength, (s + 1) * rowLength)`. */
  readonly data: Float32Array;
  /** l, the length of a full row (and the number of rows). */
  readonly rowLength: number;
  /** How many rows fit. */
  readonly capacity: number;
  private readonly slotOfRow: Int32Array;
  private readonly rowOfSlot: Int32Array;
  private readonly valid: Int32Array;
  private readonly previous: Int32Array;
  private readonly next: Int32Array;
  private used = 0;
  /** Index swaps not yet applied to the cached rows' entries (pairs i, j). */
  private pendingSwaps: Int32Array;
  private pendingCount = 0;

  /**
   * @param slab Storage for the rows; its length over `rowLength` (at most `rowLength`, at
   *   least `minRows`) sets the capacity. The slab may be reused by later caches.
   * @param rowLength l, the size of the matrix.
   * @param minRows Rows that must fit at once (the solver holds two rows while it claims more).
   */
  constructor(slab: Float32Array, rowLength: number, minRows: number) {
    this.rowLength = rowLength;
    this.capacity = Math.min(rowLength, Math.floor(slab.length / rowLength));
    if (this.capacity < Math.min(minRows, rowLength)) {
      throw new RangeError(
        `kernel cache slab of ${slab.length} floats holds fewer than ${minRows} rows of ${rowLength}`,
      );
    }
    this.data = slab.subarray(0, this.capacity * rowLength);
    this.slotOfRow = new Int32Array(rowLength).fill(-1);
    this.rowOfSlot = new Int32Array(this.capacity);
    this.valid = new Int32Array(this.capacity);
    // Node `capacity` is the list's sentinel: next[sentinel] is the least recently used slot.
    this.previous = new Int32Array(this.capacity + 1);
    this.next = new Int32Array(this.capacity + 1);
    this.previous[this.capacity] = this.capacity;
    this.next[this.capacity] = this.capacity;
    this.pendingSwaps = new Int32Array(64);
  }

  /** The slot holding `row`, now the most recently used, or -1 when it is not cached. */
  find(row: number): number {
    const slot = this.slotOfRow[row];
    if (slot >= 0) {
      this.unlink(slot);
      this.linkLast(slot);
      this.applyPendingSwaps();
    }
    return slot;
  }

  /** True when `row` has a slot (without touching the LRU order). */
  has(row: number): boolean {
    return this.slotOfRow[row] >= 0;
  }

  /** Slots not yet holding any row. */
  freeSlots(): number {
    return this.capacity - this.used;
  }

  /**
   * A slot for `row`, which must not be cached: a free slot or the least recently used one
   * (whose row is forgotten). Its valid length starts at 0; it becomes the most recently used.
   */
  claim(row: number): number {
    this.applyPendingSwaps();
    let slot: number;
    if (this.used < this.capacity) {
      slot = this.used++;
    } else {
      slot = this.next[this.capacity];
      this.unlink(slot);
      this.slotOfRow[this.rowOfSlot[slot]] = -1;
    }
    this.slotOfRow[row] = slot;
    this.rowOfSlot[slot] = row;
    this.valid[slot] = 0;
    this.linkLast(slot);
    return slot;
  }

  /** How many leading entries of the row in `slot` are computed. */
  validLength(slot: number): number {
    return this.valid[slot];
  }

  /** Records that entries `[0, length)` of the row in `slot` are computed. */
  setValidLength(slot: number, length: number): void {
    this.valid[slot] = length;
  }

  /** Where the row in `slot` starts in {@link data}. */
  offset(slot: number): number {
    return slot * this.rowLength;
  }

  /**
   * Renames index i as j and j as i (the solver moved them within its active set): the rows
   * swap places, and inside every cached row entries i and j swap. A row computed past i but
   * not past j keeps only its prefix [0, i). The entry swaps are applied lazily, row by row,
   * before the cache is next read, so a burst of swaps from one shrinking pass costs one pass
   * over each row instead of one pass over the cache per swap.
   */
  swapIndex(i: number, j: number): void {
    if (i === j) return;
    const slotI = this.slotOfRow[i];
    const slotJ = this.slotOfRow[j];
    this.slotOfRow[i] = slotJ;
    this.slotOfRow[j] = slotI;
    if (slotI >= 0) this.rowOfSlot[slotI] = j;
    if (slotJ >= 0) this.rowOfSlot[slotJ] = i;
    if (this.pendingCount * 2 === this.pendingSwaps.length) {
      const grown = new Int32Array(this.pendingSwaps.length * 2);
      grown.set(this.pendingSwaps);
      this.pendingSwaps = grown;
    }
    this.pendingSwaps[2 * this.pendingCount] = Math.min(i, j);
    this.pendingSwaps[2 * this.pendingCount + 1] = Math.max(i, j);
    this.pendingCount++;
  }

  private applyPendingSwaps(): void {
    if (this.pendingCount === 0) return;
    const { data, valid, rowLength, pendingSwaps } = this;
    const swaps = 2 * this.pendingCount;
    for (let slot = 0; slot < this.used; slot++) {
      const base = slot * rowLength;
      let length = valid[slot];
      for (let s = 0; s < swaps && length > 0; s += 2) {
        const low = pendingSwaps[s];
        const high = pendingSwaps[s + 1];
        if (length > high) {
          const value = data[base + low];
          data[base + low] = data[base + high];
          data[base + high] = value;
        } else if (length > low) {
          length = low;
        }
      }
      valid[slot] = length;
    }
    this.pendingCount = 0;
  }

  private unlink(slot: number): void {
    const { previous, next } = this;
    next[previous[slot]] = next[slot];
    previous[next[slot]] = previous[slot];
  }

  private linkLast(slot: number): void {
    const { previous, next } = this;
    const sentinel = this.capacity;
    const last = previous[sentinel];
    next[last] = slot;
    previous[slot] = last;
    next[slot] = sentinel;
    previous[sentinel] = slot;
  }
}
