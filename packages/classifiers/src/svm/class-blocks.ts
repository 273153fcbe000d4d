import { allocatorFor } from '@typedlearn/tensor';

/**
 * The training rows grouped by class (LIBSVM's `svm_group_classes`): grouped position p holds
 * training row byClass[p], class 0's rows first (in data order), then class 1's, and so on.
 * The solver works on grouped positions, with the feature rows laid out in this order, so each
 * class and each pair's samples are contiguous in memory.
 */
export interface ClassGrouping {
  byClass: Int32Array;
  /** Class c occupies grouped positions [classStart[c], classStart[c + 1]). */
  classStart: Int32Array;
  /** The class of each grouped position. */
  classOf: Int32Array;
  /** 0, 1, ..., n-1: every grouped position (kernel-row targets for a range of them). */
  positions: Int32Array;
}

/**
 * Groups the rows of labels `y` (class indices 0..nClasses-1) by class, on shared memory if
 * asked. Rows whose `sampleWeight` is 0 are left out, as LIBSVM (`remove_zero_weight`) removes
 * them before grouping.
 */
export function groupByClass(
  y: Int32Array,
  nClasses: number,
  shared: boolean,
  sampleWeight: Float64Array | null = null,
): ClassGrouping {
  const kept = (row: number) => sampleWeight === null || sampleWeight[row] !== 0;
  const classStart = new Int32Array(nClasses + 1);
  for (let row = 0; row < y.length; row++) if (kept(row)) classStart[y[row] + 1]++;
  for (let c = 0; c < nClasses; c++) classStart[c + 1] += classStart[c];
  const n = classStart[nClasses];
  const allocator = allocatorFor(shared);
  const byClass = allocator('int32', n);
  const classOf = allocator('int32', n);
  const positions = allocator('int32', n);
  const next = classStart.slice(0, nClasses);
  for (let row = 0; row < y.length; row++) if (kept(row)) byClass[next[y[row]]++] = row;
  for (let c = 0; c < nClasses; c++) classOf.fill(c, classStart[c], classStart[c + 1]);
  for (let p = 0; p < n; p++) positions[p] = p;
  return { byClass, classStart, classOf, positions };
}

const ABSENT = 0;
const BUSY = 1;
const READY = 2;
const NO_ROOM = 3;

/**
 * Kernel rows restricted to a row's own class, K(g, h) for every h in class(g) (g, h grouped
 * positions), kept across the binary problems of one-vs-one. Row g of class a is needed by the
 * k - 1 problems (a, b), and
 * the part of its kernel row inside class a is the same in all of them: computed once here, it
 * saves about a third of all kernel evaluations on MNIST (a support vector serves ~3 pairs).
 *
 * The store lives on SharedArrayBuffers, so worker threads share it: a block is claimed with an
 * atomic compare-and-exchange (one thread computes it; others compute their own values
 * meanwhile), filled, then published with an atomic store, which makes its values visible to
 * every thread that sees it ready. Blocks are never evicted: once the budget is used, further
 * rows are simply not stored. Values are computed exactly as a direct kernel row would be, so
 * results do not depend on which blocks were found.
 */
export interface ClassBlockStore {
  /** Per training row: ABSENT, BUSY (being computed), READY or NO_ROOM. */
  state: Int32Array;
  /** Per training row: its block's slot, valid once READY. */
  slotOf: Int32Array;
  /** [0]: slots handed out so far (may exceed capacity: those claims failed). */
  slotsUsed: Int32Array;
  /** Slot s holds a block in data[s * blockLength, s * blockLength + size of the class). */
  data: Float32Array;
  blockLength: number;
  capacity: number;
}

/**
 * A store for `nRows` grouped positions whose largest class has `blockLength` rows, holding at most
 * `bytes` of blocks (and no more than one block per row).
 */
export function createClassBlockStore(
  nRows: number,
  blockLength: number,
  bytes: number,
  shared: boolean,
): ClassBlockStore {
  const perBlock = Math.max(1, blockLength) * Float32Array.BYTES_PER_ELEMENT;
  const capacity = Math.min(nRows, Math.floor(bytes / perBlock));
  const floats = capacity * blockLength;
  return {
    state: allocatorFor(shared)('int32', nRows),
    slotOf: allocatorFor(shared)('int32', nRows),
    slotsUsed: allocatorFor(shared)('int32', 1),
    data: allocatorFor(shared)('float32', floats),
    blockLength,
    capacity,
  };
}

/** Where row g's block starts in `store.data`, or -1 when it is not ready. */
export function findBlock(store: ClassBlockStore, g: number): number {
  return Atomics.load(store.state, g) === READY ? store.slotOf[g] * store.blockLength : -1;
}

/**
 * Reserves a slot for row g's block and returns where to write it, or -1 when the caller should
 * not (another thread is computing it, it is ready, or the store is full). A successful claim
 * must be followed by {@link publishBlock}.
 */
export function claimBlock(store: ClassBlockStore, g: number): number {
  if (Atomics.compareExchange(store.state, g, ABSENT, BUSY) !== ABSENT) return -1;
  const slot = Atomics.add(store.slotsUsed, 0, 1);
  if (slot >= store.capacity) {
    Atomics.store(store.state, g, NO_ROOM);
    return -1;
  }
  store.slotOf[g] = slot;
  return slot * store.blockLength;
}

/** Makes row g's block, fully written, visible to every thread. */
export function publishBlock(store: ClassBlockStore, g: number): void {
  Atomics.store(store.state, g, READY);
}
