// This module imports only types from @typedlearn/tensor: the worker threads that grow trees
// import it (through the splitter) and need not load that package.
import type { Allocator } from '@typedlearn/tensor';

/** The most bins a feature can have: bin indices are stored as bytes. */
export const MAX_BINS = 256;

/**
 * A feature matrix reduced once, before any tree grows, to small integer bins per feature,
 * as LightGBM (Ke et al., NeurIPS 2017) and scikit-learn's HistGradientBoosting do. Split
 * finding then counts samples per bin instead of sorting feature values at every node.
 *
 * - A feature with at most `maxBins` distinct values gets one bin per value, so the bins lose
 *   nothing (MNIST pixels, 256 grey levels scaled to [0, 1], are binned exactly).
 * - Any other feature gets quantile bins: `maxBins - 1` edges at evenly spaced percentiles of
 *   its values (numpy's 'midpoint' percentile), duplicates removed; a value `x` falls in bin
 *   `b` = the number of edges below it, so `x <= edges[b]` exactly when its bin is `<= b`.
 *
 * Either way every training value of feature `f` in bin `b` lies in
 * `[binLow[f * MAX_BINS + b], binHigh[f * MAX_BINS + b]]`, and the bins keep the values' order.
 */
export interface BinnedFeatures {
  nSamples: number;
  nFeatures: number;
  /** Bin of sample `i` on feature `f` at `columns[f * nSamples + i]` (column-major). */
  columns: Uint8Array;
  /**
   * The same bins row-major, at `rows[i * rowStride + f]`; rows are padded with zeros to a
   * multiple of 4 bytes so they can be read as 32-bit words.
   */
  rows: Uint8Array;
  rowStride: number;
  /** Number of bins of each feature (1 for a constant feature). */
  binCounts: Int32Array;
  /** Smallest training value in each bin, `[nFeatures, MAX_BINS]`; empty bins hold 0. */
  binLow: Float32Array;
  /** Largest training value in each bin, `[nFeatures, MAX_BINS]`; empty bins hold 0. */
  binHigh: Float32Array;
}

/** Features are transposed to columns in blocks of about this many values (16 MB of floats). */
const BLOCK_VALUES = 1 << 22;

/**
 * Bins every feature of the row-major matrix `x` ([nSamples, nFeatures], finite values) into
 * at most `maxBins` (2..256, as the estimators' options validation ensures) levels, in arrays
 * made by `allocator` (`allocatorFor(true)` for worker threads to share them). See
 * {@link BinnedFeatures}.
 */
export function binFeatures(
  x: Float32Array,
  nSamples: number,
  nFeatures: number,
  maxBins: number,
  allocator: Allocator,
): BinnedFeatures {
  const rowStride = Math.ceil(nFeatures / 4) * 4;
  const binned: BinnedFeatures = {
    nSamples,
    nFeatures,
    columns: allocator('uint8', nSamples * nFeatures),
    rows: allocator('uint8', nSamples * rowStride),
    rowStride,
    binCounts: new Int32Array(nFeatures),
    binLow: allocator('float32', nFeatures * MAX_BINS),
    binHigh: allocator('float32', nFeatures * MAX_BINS),
  };
  if (!binByMatrixValues(x, binned, maxBins)) binColumnByColumn(x, binned, maxBins);
  return binned;
}

/**
 * Bins the whole matrix in one pass over its rows when it holds at most `maxBins` distinct
 * values in all (MNIST: the 256 grey levels). Then no feature has more, so each gets one bin
 * per value it takes, exactly as {@link binColumn} would give it, without transposing the
 * floats to columns or hashing every column apart. Returns false when the matrix holds more
 * values; `binned` is then rewritten by the caller.
 */
function binByMatrixValues(x: Float32Array, binned: BinnedFeatures, maxBins: number): boolean {
  const { nSamples, nFeatures, rows, rowStride } = binned;
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  const table = new DistinctValues(maxBins, 0);
  // Each value's code (its order of first appearance) goes where its bin will be, and the
  // codes each feature takes are marked. Row by row: one loop over the whole matrix would run
  // in V8's on-stack-replaced code, which made binning MNIST 1.3 times slower than with
  // functions called per row (optimised after their first calls).
  const present = new Uint8Array(nFeatures * MAX_BINS);
  for (let i = 0; i < nSamples; i++) {
    if (!codeRow(bits, i * nFeatures, nFeatures, table, rows, i * rowStride, present)) {
      return false;
    }
  }
  // A feature's bin for a code: the rank of the code's value among the feature's own values.
  const values = table.sortedValues();
  const codeOfRank = table.codesByRank();
  const binOfCode = new Uint8Array(nFeatures * MAX_BINS);
  for (let f = 0; f < nFeatures; f++) {
    const base = f * MAX_BINS;
    let bin = 0;
    for (let r = 0; r < values.length; r++) {
      const code = codeOfRank[r];
      if (present[base + code] === 0) continue;
      binOfCode[base + code] = bin;
      binned.binLow[base + bin] = binned.binHigh[base + bin] = values[r];
      bin++;
    }
    binned.binCounts[f] = bin;
  }
  for (let i = 0; i < nSamples; i++) binRow(rows, i * rowStride, nFeatures, binOfCode);
  transposeInto(rows, rowStride, nSamples, nFeatures, binned.columns, nSamples);
  return true;
}

/**
 * Writes the code of each of the `nFeatures` values at `bits[from]` (float32 bit patterns)
 * to `codes[to]` and marks it in `present[feature * MAX_BINS + code]`; false when `table`
 * would exceed its limit.
 */
function codeRow(
  bits: Int32Array,
  from: number,
  nFeatures: number,
  table: DistinctValues,
  codes: Uint8Array,
  to: number,
  present: Uint8Array,
): boolean {
  // Runs of one value are common (blank pixels): a repeat of the last key skips the hash.
  let lastKey = EMPTY;
  let lastCode = 0;
  for (let f = 0; f < nFeatures; f++) {
    const key = bits[from + f] === NEGATIVE_ZERO ? 0 : bits[from + f];
    if (key !== lastKey) {
      lastCode = table.codeOf(key);
      if (lastCode < 0) return false;
      lastKey = key;
    }
    codes[to + f] = lastCode;
    present[f * MAX_BINS + lastCode] = 1;
  }
  return true;
}

/** Replaces the codes of one row, at `row[at]`, by their features' bins. */
function binRow(row: Uint8Array, at: number, nFeatures: number, binOfCode: Uint8Array): void {
  for (let f = 0; f < nFeatures; f++) row[at + f] = binOfCode[f * MAX_BINS + row[at + f]];
}

/**
 * Bins the features one at a time: each feature's values, made contiguous, are hashed to find
 * whether it has few distinct values, or sorted for quantile bins ({@link binColumn}).
 */
function binColumnByColumn(x: Float32Array, binned: BinnedFeatures, maxBins: number): void {
  const { nSamples, nFeatures, rowStride } = binned;
  // Reading one feature of a row-major matrix jumps a whole row per value, so a block of
  // features is first transposed into contiguous columns.
  const blockFeatures = Math.max(1, Math.min(nFeatures, Math.floor(BLOCK_VALUES / nSamples)));
  const columns = new Float32Array(blockFeatures * nSamples);
  const columnBits = new Int32Array(columns.buffer);
  const table = new DistinctValues(maxBins, nSamples);
  const sorted = new Float32Array(nSamples);
  for (let first = 0; first < nFeatures; first += blockFeatures) {
    const width = Math.min(blockFeatures, nFeatures - first);
    for (let i = 0; i < nSamples; i++) {
      const row = i * nFeatures + first;
      for (let j = 0; j < width; j++) columns[j * nSamples + i] = x[row + j];
    }
    for (let j = 0; j < width; j++) {
      const column = columns.subarray(j * nSamples, (j + 1) * nSamples);
      const bits = columnBits.subarray(j * nSamples, (j + 1) * nSamples);
      binColumn(column, bits, first + j, binned, maxBins, table, sorted);
    }
  }
  transposeInto(binned.columns, nSamples, nFeatures, nSamples, binned.rows, rowStride);
}

/** Bins one feature's values into `binned`, exactly when it has few distinct values. */
function binColumn(
  column: Float32Array,
  bits: Int32Array,
  feature: number,
  binned: BinnedFeatures,
  maxBins: number,
  table: DistinctValues,
  sorted: Float32Array,
): void {
  const low = binned.binLow.subarray(feature * MAX_BINS, (feature + 1) * MAX_BINS);
  const high = binned.binHigh.subarray(feature * MAX_BINS, (feature + 1) * MAX_BINS);
  if (table.collect(bits)) {
    const values = table.sortedValues();
    for (let b = 0; b < values.length; b++) low[b] = high[b] = values[b];
    table.ranksInto(binned.columns, feature * column.length);
    binned.binCounts[feature] = values.length;
    return;
  }
  const out = binned.columns.subarray(feature * column.length, (feature + 1) * column.length);
  sorted.set(column);
  sorted.sort();
  const edges = quantileEdges(sorted, maxBins);
  low.fill(Infinity, 0, edges.length + 1);
  high.fill(-Infinity, 0, edges.length + 1);
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    const bin = countBelow(edges, value);
    out[i] = bin;
    if (value < low[bin]) low[bin] = value;
    if (value > high[bin]) high[bin] = value;
  }
  // A quantile bin can be empty (no value between two edges); no split ever reads it.
  for (let b = 0; b <= edges.length; b++) if (low[b] > high[b]) low[b] = high[b] = 0;
  binned.binCounts[feature] = edges.length + 1;
}

/**
 * Bin edges of a feature with many distinct values: the `maxBins - 1` percentiles
 * 100 * j / maxBins (j = 1..maxBins-1) of the sorted values, each the midpoint of the two
 * order statistics around its position (numpy's `method='midpoint'`, as scikit-learn's
 * `_find_binning_thresholds`), rounded to float32; repeated edges are kept once.
 */
export function quantileEdges(sorted: Float32Array, maxBins: number): Float32Array {
  const edges: number[] = [];
  const last = sorted.length - 1;
  for (let j = 1; j < maxBins; j++) {
    const position = (j / maxBins) * last;
    const edge = Math.fround((sorted[Math.floor(position)] + sorted[Math.ceil(position)]) / 2);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return Float32Array.from(edges);
}

/**
 * Writes the transpose of the `[height, width]` matrix whose rows start `fromStride` apart in
 * `from` into `to`, whose rows are `toStride` apart, in tiles. When all four sizes are
 * multiples of 4 the tiles are transposed as 32-bit words, 4 x 4 bytes at a time
 * ({@link writeTransposed}).
 */
function transposeInto(
  from: Uint8Array,
  fromStride: number,
  height: number,
  width: number,
  to: Uint8Array,
  toStride: number,
): void {
  const byWords = (fromStride | height | width | toStride) % 4 === 0;
  const fromWords = byWords ? new Uint32Array(from.buffer, from.byteOffset, from.length / 4) : null;
  const toWords = byWords ? new Uint32Array(to.buffer, to.byteOffset, to.length / 4) : null;
  const tile = 64;
  for (let r0 = 0; r0 < height; r0 += tile) {
    const r1 = Math.min(height, r0 + tile);
    for (let c0 = 0; c0 < width; c0 += tile) {
      const c1 = Math.min(width, c0 + tile);
      if (fromWords !== null && toWords !== null) {
        transposeTileByWords(fromWords, fromStride >> 2, toWords, toStride >> 2, r0, r1, c0, c1);
        continue;
      }
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) to[c * toStride + r] = from[r * fromStride + c];
      }
    }
  }
}

/** One tile of {@link transposeInto} (rows `[r0, r1)`, columns `[c0, c1)`), by words. */
function transposeTileByWords(
  from: Uint32Array,
  fromWordsPerRow: number,
  to: Uint32Array,
  toWordsPerRow: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  for (let r = r0; r < r1; r += 4) {
    const row = r * fromWordsPerRow;
    for (let c = c0; c < c1; c += 4) {
      const at = (c >> 2) + row;
      writeTransposed(
        to,
        c * toWordsPerRow + (r >> 2),
        toWordsPerRow,
        from[at],
        from[at + fromWordsPerRow],
        from[at + 2 * fromWordsPerRow],
        from[at + 3 * fromWordsPerRow],
      );
    }
  }
}

/**
 * Transposes a 4 x 4 block of bytes held in four 32-bit words `a`, `b`, `c`, `d` (one row of
 * the block each) and writes its four rows at `out[at]`, `out[at + step]`, `out[at + 2 step]`
 * and `out[at + 3 step]`. Typed arrays use the platform's byte order, little-endian wherever
 * JavaScript runs, so byte i of a word is `(word >>> 8i) & 255`.
 */
function writeTransposed(
  out: Uint32Array,
  at: number,
  step: number,
  a: number,
  b: number,
  c: number,
  d: number,
): void {
  out[at] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (d << 24);
  out[at + step] =
    ((a >>> 8) & 0xff) | (b & 0xff00) | ((c << 8) & 0xff0000) | ((d << 16) & 0xff000000);
  out[at + 2 * step] =
    ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((d << 8) & 0xff000000);
  out[at + 3 * step] =
    (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (d & 0xff000000);
}

/** Number of `edges` (ascending) strictly below `value`, by binary search. */
function countBelow(edges: Float32Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The distinct values met, up to `limit` of them, numbered in order of first appearance (their
 * codes): an open-addressing hash table keyed by the values' float32 bit patterns (the caller
 * maps -0 to +0). For a column it also remembers each sample's code, so ranks are assigned
 * without hashing again. Reused from column to column, so binning allocates nothing per
 * feature.
 */
class DistinctValues {
  private readonly keys: Int32Array;
  private readonly codeAt: Uint8Array;
  private readonly mask: number;
  private readonly shift: number;
  /** Slot of each code. */
  private readonly slotOf: Int32Array;
  private count = 0;
  /** Rank of each code's value among the values met, set by {@link sortedValues}. */
  private readonly rankOf: Uint8Array;
  /** Code of each sample of the last collected column. */
  private readonly sampleCodes: Uint8Array;
  private readonly scratchBits = new Int32Array(1);
  private readonly scratchFloat = new Float32Array(this.scratchBits.buffer);

  constructor(
    private readonly limit: number,
    nSamples: number,
  ) {
    // A quarter full at most, so probe sequences stay short.
    const logSize = Math.ceil(Math.log2(limit)) + 2;
    this.keys = new Int32Array(1 << logSize).fill(EMPTY);
    this.codeAt = new Uint8Array(1 << logSize);
    this.mask = (1 << logSize) - 1;
    this.shift = 32 - logSize;
    this.slotOf = new Int32Array(limit);
    this.rankOf = new Uint8Array(limit);
    this.sampleCodes = new Uint8Array(nSamples);
  }

  /** The code of the value with bit pattern `key`, numbering it if new; -1 past the limit. */
  codeOf(key: number): number {
    const { keys, mask } = this;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (keys[slot] !== key && keys[slot] !== EMPTY) slot = (slot + 1) & mask;
    if (keys[slot] === key) return this.codeAt[slot];
    if (this.count === this.limit) return -1;
    keys[slot] = key;
    this.codeAt[slot] = this.count;
    this.slotOf[this.count] = slot;
    return this.count++;
  }

  /**
   * Collects the distinct values of a column given as float32 bit patterns; false (and
   * nothing kept) when there are more than `limit`.
   */
  collect(bits: Int32Array): boolean {
    const { sampleCodes } = this;
    this.clear();
    // Runs of one value are common (blank pixels): a repeat of the last key skips the hash.
    let lastKey = EMPTY;
    let lastCode = 0;
    for (let i = 0; i < bits.length; i++) {
      const key = bits[i] === NEGATIVE_ZERO ? 0 : bits[i];
      if (key !== lastKey) {
        lastCode = this.codeOf(key);
        if (lastCode < 0) {
          this.clear();
          return false;
        }
        lastKey = key;
      }
      sampleCodes[i] = lastCode;
    }
    return true;
  }

  /** The values met in ascending order; ranks their codes for {@link ranksInto}. */
  sortedValues(): Float32Array {
    const values = new Float32Array(this.count);
    for (let code = 0; code < this.count; code++) values[code] = this.valueOf(code);
    values.sort();
    const byValue = new Map<number, number>();
    values.forEach((value, rank) => byValue.set(value, rank));
    for (let code = 0; code < this.count; code++) {
      this.rankOf[code] = byValue.get(this.valueOf(code)) as number;
    }
    return values;
  }

  /** The codes in ascending order of their values (after {@link sortedValues}). */
  codesByRank(): Uint8Array {
    const codes = new Uint8Array(this.count);
    for (let code = 0; code < this.count; code++) codes[this.rankOf[code]] = code;
    return codes;
  }

  /** Writes the rank of each sample's value (its bin) into `out`, from `offset` on. */
  ranksInto(out: Uint8Array, offset: number): void {
    const { rankOf, sampleCodes } = this;
    for (let i = 0; i < sampleCodes.length; i++) out[offset + i] = rankOf[sampleCodes[i]];
  }

  private valueOf(code: number): number {
    this.scratchBits[0] = this.keys[this.slotOf[code]];
    return this.scratchFloat[0];
  }

  private clear(): void {
    for (let code = 0; code < this.count; code++) this.keys[this.slotOf[code]] = EMPTY;
    this.count = 0;
  }
}

/** A NaN bit pattern: never the key of a finite value. */
const EMPTY = 0x7fc00000;
/** The bit pattern of -0 (as a signed 32-bit integer). */
const NEGATIVE_ZERO = -0x80000000;
