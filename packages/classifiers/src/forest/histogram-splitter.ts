import type { Rng } from '@typedlearn/tensor';
import { MAX_BINS, writeTransposed, type BinnedFeatures } from './feature-binning.js';
import { splitScore, type Criterion } from './impurity.js';

/**
 * Largest node whose subtree is grown from a local copy of its samples' bins
 * (LOCAL_SAMPLES x nFeatures bytes: 784 KB for MNIST, within the 1 MB L2 cache of a core of
 * the reference machine; 1024 measured about 5% faster per tree than 512, and 768 the same).
 */
export const LOCAL_SAMPLES = 1024;

/** Rules a split must satisfy, shared by every node of a tree. */
export interface SplitRules {
  criterion: Criterion;
  /** Fewest (distinct) samples either child may hold. */
  minSamplesLeaf: number;
  /** Features to examine per node (at least one non-constant one is always examined). */
  maxFeatures: number;
}

/**
 * Finds and applies the best split of one node's samples, the inner loop of tree growth.
 *
 * The samples of the tree live in three parallel arrays (sample index, class, weight), and
 * every node owns a contiguous range `[start, end)` of them; splitting a node partitions its
 * range in place, left child first. For each candidate feature the splitter first checks
 * whether the feature is constant in the node (reads only, stopping at the first difference).
 * Otherwise it adds the node's weighted class counts into a histogram over the feature's bins
 * (one pass over the samples, no sorting), then sweeps the occupied bins (a bitmap records
 * them) from the highest down, moving one bin at a time from the left child to the right and
 * scoring each boundary with {@link splitScore}. Bin 0 is left out of the histogram: its
 * counts are what the other bins leave of the node's totals, and the downward sweep ends at
 * it without needing them (see {@link scanFeature}).
 *
 * Every scan gathers one byte per sample from a feature's column. Partitions are stable, so
 * each node's sample indices stay ascending and the gathers sweep the column forward. Once a
 * node is small ({@link LOCAL_SAMPLES}), the bins of its samples for every feature are copied
 * (from the row-major layout, one contiguous row per sample) into a small column-major block
 * that the node's whole subtree then reads from cache, instead of touching a scattered byte in
 * a cold column per sample and feature.
 *
 * Features are drawn as scikit-learn's `BestSplitter` draws them: without replacement, until
 * `maxFeatures` have been examined and at least one of them was not constant in the node.
 * A feature found constant in a node is constant in all its descendants, so it is remembered
 * (moved to the front of the feature permutation) and never scanned again below it.
 */
export class HistogramSplitter {
  private readonly binned: BinnedFeatures;
  /** The bins the scans read, column-major: all samples', or a small subtree's local copy. */
  private source: Uint8Array;
  /** Length of one column of {@link source}. */
  private stride: number;
  /** Room for the bins of a small subtree, column-major, columns padded to 4 bytes. */
  private readonly local: Uint8Array;
  private readonly localWords: Uint32Array;
  /** {@link BinnedFeatures.rows} as 32-bit words. */
  private readonly rowWords: Uint32Array;
  private readonly nFeatures: number;
  private readonly nClasses: number;
  private readonly binLow: Float32Array;
  private readonly binHigh: Float32Array;

  /**
   * The tree's samples: `sampleIndex[p]` is a row of the training matrix, or, inside a
   * localised subtree, a column position of the local block.
   */
  private readonly sampleIndex: Int32Array;
  /** Class of sample p. */
  private readonly label: Int32Array;
  /** Weight of sample p: bootstrap multiplicity times class weight. */
  private readonly weight: Float64Array;
  /** Scratch for the right child's samples during a stable partition. */
  private readonly spareIndex: Int32Array;
  private readonly spareLabel: Int32Array;
  private readonly spareWeight: Float64Array;

  /** Weighted class counts per bin, bin-major: `histogram[bin * nClasses + k]`. */
  private readonly histogram: Float64Array;
  /** The class of the last sample added to each bin (the bin's only class if it holds one). */
  private readonly binClass: Int32Array;
  /** Number of samples per bin. */
  private readonly binSamples: Int32Array;
  /** Bit b set when bin b holds a sample of the node. */
  private readonly occupied = new Int32Array(MAX_BINS / 32);
  /** Class totals of the left child while sweeping. */
  private readonly sweepLeft: Float64Array;

  /** Permutation of the features; the first entries are the node's known-constant ones. */
  private readonly features: Int32Array;
  /** The known-constant features in the order the ancestors found them. */
  private readonly constantFeatures: Int32Array;

  /** Best split found by the last {@link findBestSplit}. */
  bestFeature = -1;
  /** Highest bin of {@link bestFeature} that goes left. */
  bestBin = -1;
  /** Threshold on the raw feature: `x <= threshold` goes left. */
  bestThreshold = 0;
  private bestScore = -Infinity;
  /** Known-constant features for the children of the last node split. */
  constantCount = 0;

  constructor(
    binned: BinnedFeatures,
    y: Int32Array,
    nClasses: number,
    classWeight: Float64Array,
    multiplicity: Int32Array | null,
    private readonly rules: SplitRules,
    private readonly rng: Rng,
  ) {
    this.binned = binned;
    this.source = binned.columns;
    this.stride = binned.nSamples;
    const localSamples = Math.ceil(Math.min(LOCAL_SAMPLES, binned.nSamples) / 4) * 4;
    this.local = new Uint8Array(localSamples * binned.rowStride);
    this.localWords = new Uint32Array(this.local.buffer);
    this.rowWords = new Uint32Array(
      binned.rows.buffer,
      binned.rows.byteOffset,
      binned.rows.length / 4,
    );
    this.nFeatures = binned.nFeatures;
    this.binLow = binned.binLow;
    this.binHigh = binned.binHigh;
    this.nClasses = nClasses;

    let inBag = binned.nSamples;
    if (multiplicity !== null) {
      inBag = 0;
      for (let i = 0; i < binned.nSamples; i++) if (multiplicity[i] > 0) inBag++;
    }
    this.sampleIndex = new Int32Array(inBag);
    this.label = new Int32Array(inBag);
    this.weight = new Float64Array(inBag);
    let p = 0;
    for (let i = 0; i < binned.nSamples; i++) {
      const copies = multiplicity === null ? 1 : multiplicity[i];
      if (copies === 0) continue;
      this.sampleIndex[p] = i;
      this.label[p] = y[i];
      this.weight[p] = copies * classWeight[y[i]];
      p++;
    }
    this.spareIndex = new Int32Array(inBag);
    this.spareLabel = new Int32Array(inBag);
    this.spareWeight = new Float64Array(inBag);

    this.histogram = new Float64Array(nClasses * MAX_BINS);
    this.binSamples = new Int32Array(MAX_BINS);
    this.binClass = new Int32Array(MAX_BINS);
    this.sweepLeft = new Float64Array(nClasses);
    this.features = new Int32Array(binned.nFeatures);
    for (let f = 0; f < binned.nFeatures; f++) this.features[f] = f;
    this.constantFeatures = new Int32Array(binned.nFeatures);
  }

  /** Number of (distinct) samples in the tree: the root's range is `[0, sampleCount)`. */
  get sampleCount(): number {
    return this.sampleIndex.length;
  }

  /** Adds the weighted class totals of the samples in `[start, end)` into `totals`. */
  addClassTotals(start: number, end: number, totals: Float64Array): void {
    for (let p = start; p < end; p++) totals[this.label[p]] += this.weight[p];
  }

  /**
   * Searches the best split of the node `[start, end)` whose class totals are `totals`
   * (summing to `weight`), whose first `knownConstants` features in the permutation are
   * constant. Returns false when no feature can split it under the rules.
   */
  findBestSplit(
    start: number,
    end: number,
    totals: Float64Array,
    weight: number,
    knownConstants: number,
  ): boolean {
    const { features, constantFeatures, rng } = this;
    const { maxFeatures } = this.rules;
    this.bestScore = -Infinity;
    this.bestFeature = -1;

    // The features array is partitioned as
    // [known constants | constants found here | not yet drawn | drawn and scanned].
    let undrawnEnd = this.nFeatures;
    let visited = 0;
    let drawnConstants = 0;
    let foundConstants = 0;
    let totalConstants = knownConstants;
    while (
      undrawnEnd > totalConstants &&
      (visited < maxFeatures || visited <= foundConstants + drawnConstants)
    ) {
      visited++;
      let j = drawnConstants + rng.int(undrawnEnd - foundConstants - drawnConstants);
      if (j < knownConstants) {
        // A feature already known to be constant: counts as examined, costs nothing.
        swap(features, drawnConstants, j);
        drawnConstants++;
        continue;
      }
      j += foundConstants;
      if (this.scanFeature(features[j], start, end, totals, weight)) {
        swap(features, j, totalConstants);
        foundConstants++;
        totalConstants++;
      } else {
        undrawnEnd--;
        swap(features, undrawnEnd, j);
      }
    }
    // Drawing shuffled the known constants: restore the order the siblings expect, and
    // record the newly found ones for the children.
    for (let c = 0; c < knownConstants; c++) features[c] = constantFeatures[c];
    for (let c = knownConstants; c < totalConstants; c++) constantFeatures[c] = features[c];
    this.constantCount = totalConstants;

    return this.bestFeature >= 0;
  }

  /**
   * Moves the samples of `[start, end)` that the best split sends left to the front of the
   * range, keeping the order on both sides; returns where the right child starts.
   */
  partition(start: number, end: number): number {
    const middle = this.moveLeftSamplesForward(start, end);
    this.restoreRightSamples(middle, end);
    return middle;
  }

  /**
   * The first half of {@link partition}: moves the samples going left to the front of the
   * range, in order, and the others to the spare arrays; returns where the right child starts.
   *
   * The loop ends the function on purpose. The first call (the root, tens of thousands of
   * samples) is optimised while inside the loop (on-stack replacement); had code followed the
   * loop, code that had never run yet, V8 would bail out of that optimised loop at the end of
   * every later call.
   */
  private moveLeftSamplesForward(start: number, end: number): number {
    const { source, sampleIndex, label, weight, bestBin } = this;
    const { spareIndex, spareLabel, spareWeight } = this;
    const column = this.bestFeature * this.stride;
    let left = start;
    let right = 0;
    for (let p = start; p < end; p++) {
      if (source[column + sampleIndex[p]] <= bestBin) {
        sampleIndex[left] = sampleIndex[p];
        label[left] = label[p];
        weight[left] = weight[p];
        left++;
      } else {
        spareIndex[right] = sampleIndex[p];
        spareLabel[right] = label[p];
        spareWeight[right] = weight[p];
        right++;
      }
    }
    return left;
  }

  /** The second half of {@link partition}: the right child's samples back from the spares. */
  private restoreRightSamples(middle: number, end: number): void {
    const { sampleIndex, label, weight, spareIndex, spareLabel, spareWeight } = this;
    for (let p = middle, q = 0; p < end; p++, q++) {
      sampleIndex[p] = spareIndex[q];
      label[p] = spareLabel[q];
      weight[p] = spareWeight[q];
    }
  }

  /**
   * Copies the bins of the samples in `[start, end)` (at most {@link LOCAL_SAMPLES}) into the
   * local block, which the scans then read until {@link leaveLocal}; only nodes inside this
   * range may be split meanwhile.
   *
   * The copy is a transpose done on 32-bit words, 4 samples by 4 features at a time: four row
   * words (4 bins each) are rearranged into four column words ({@link writeTransposed}).
   */
  enterLocal(start: number, end: number): void {
    const { rows, rowStride, nFeatures } = this.binned;
    const { local, localWords, sampleIndex } = this;
    const rowWords = this.rowWords;
    const count = end - start;
    const stride = (count + 3) & ~3;
    const columnWords = stride >> 2;
    const wordsPerRow = rowStride >> 2;
    const grouped = count & ~3;
    for (let j = 0; j < grouped; j += 4) {
      const r0 = sampleIndex[start + j] * wordsPerRow;
      const r1 = sampleIndex[start + j + 1] * wordsPerRow;
      const r2 = sampleIndex[start + j + 2] * wordsPerRow;
      const r3 = sampleIndex[start + j + 3] * wordsPerRow;
      for (let w = 0, out = j >> 2; w < wordsPerRow; w++, out += 4 * columnWords) {
        const a = rowWords[r0 + w];
        const b = rowWords[r1 + w];
        const c = rowWords[r2 + w];
        const d = rowWords[r3 + w];
        writeTransposed(localWords, out, columnWords, a, b, c, d);
      }
    }
    for (let j = grouped; j < count; j++) {
      const row = sampleIndex[start + j] * rowStride;
      for (let f = 0, at = j; f < nFeatures; f++, at += stride) local[at] = rows[row + f];
    }
    for (let j = 0; j < count; j++) sampleIndex[start + j] = j;
    this.source = local;
    this.stride = stride;
  }

  /** Returns to scanning all samples' columns (the local subtree is finished). */
  leaveLocal(): void {
    this.source = this.binned.columns;
    this.stride = this.binned.nSamples;
  }

  /**
   * Histograms `feature` over the node's samples and scores every boundary between two
   * occupied bins, keeping the best split so far. Returns true when the feature is constant
   * in the node (all samples in one bin): then nothing is histogrammed.
   *
   * Bin 0 is never added sample by sample: its class weights are whatever the other bins
   * leave of the node's totals, so the sweep runs from the highest bin down and never needs
   * them (LightGBM skips its most frequent bin the same way). On MNIST bin 0 is a blank pixel,
   * most of the samples a scan visits; adding them one by one was the slowest part of the fill,
   * since in a nearly pure node they all update the same histogram cell, each update waiting
   * for the one before.
   */
  private scanFeature(
    feature: number,
    start: number,
    end: number,
    totals: Float64Array,
    weight: number,
  ): boolean {
    const column = feature * this.stride;
    if (this.isConstant(column, start, end)) return true;
    const samples = end - start;
    const inBinZero = this.fillHistogram(column, start, end);
    this.sweepOccupiedBins(feature, samples, inBinZero, totals, weight);
    return false;
  }

  /**
   * Whether every sample of `[start, end)` has the same bin in the column at `column`. Reads
   * only (no histogram writes), and stops at the first difference: over half the features
   * drawn in small MNIST nodes are constant there, mostly blank pixels.
   */
  private isConstant(column: number, start: number, end: number): boolean {
    const { source, sampleIndex } = this;
    const first = source[column + sampleIndex[start]];
    for (let p = start + 1; p < end; p++) {
      if (source[column + sampleIndex[p]] !== first) return false;
    }
    return true;
  }

  /**
   * Adds the samples of `[start, end)` outside bin 0 into the histogram of the column at
   * `column`, marking the occupied bins (and counting samples per bin) for
   * {@link sweepOccupiedBins}. Returns the number of samples in bin 0.
   */
  private fillHistogram(column: number, start: number, end: number): number {
    const { source, sampleIndex, label, weight, histogram, binSamples, occupied, nClasses } = this;
    const { binClass } = this;
    let inBinZero = 0;
    for (let p = start; p < end; p++) {
      const bin = source[column + sampleIndex[p]];
      if (bin === 0) {
        inBinZero++;
        continue;
      }
      const k = label[p];
      histogram[bin * nClasses + k] += weight[p];
      binSamples[bin]++;
      binClass[bin] = k;
      occupied[bin >> 5] |= 1 << (bin & 31);
    }
    return inBinZero;
  }

  /**
   * Sweeps the bins marked by {@link fillHistogram} from the highest down. Every sample starts
   * in the left child; at each occupied bin the boundary just above it is scored, then the
   * bin's weights move to the right child and the bin is emptied. The last boundary, above
   * bin 0, is scored only when bin 0 holds samples.
   *
   * The two sums of squared class totals of the Gini score ({@link splitScore}) are updated
   * in O(1) per class moved: (r + h)^2 = r^2 + h (2 r + h) and (l - h)^2 = l^2 + h (h - 2 l).
   * A bin holding one sample (most bins of a small node) holds one class, the one the fill
   * recorded, so only that class is visited. The running sums are local variables, which V8
   * keeps in registers, and are passed to {@link considerBoundary} as arguments: as fields of
   * the splitter they were stored and reloaded at every bin, and each variant measured about
   * 2% (fields) or 5% (node totals as fields) slower per tree.
   */
  private sweepOccupiedBins(
    feature: number,
    nodeSamples: number,
    inBinZero: number,
    totals: Float64Array,
    weight: number,
  ): void {
    const { occupied, histogram, binSamples, binClass, sweepLeft, nClasses } = this;
    sweepLeft.set(totals);
    let leftSquares = 0;
    for (let k = 0; k < nClasses; k++) leftSquares += totals[k] * totals[k];
    let rightSquares = 0;
    let rightSamples = 0;
    let rightWeight = 0;
    let previousBin = -1;
    let word = occupied.length;
    let bits = 0;
    for (;;) {
      while (bits === 0 && word > 0) {
        word--;
        bits = occupied[word];
        occupied[word] = 0;
      }
      // The next occupied bin down; after the last, bin 0 if it holds samples (its boundary is
      // scored, nothing moves); otherwise the sweep is over.
      let bin = 0;
      if (bits !== 0) {
        const high = 31 - Math.clz32(bits);
        bits ^= 1 << high;
        bin = (word << 5) | high;
      } else if (inBinZero === 0) {
        break;
      }
      if (previousBin >= 0) {
        this.considerBoundary(
          feature,
          bin,
          previousBin,
          rightSamples,
          nodeSamples,
          leftSquares,
          rightSquares,
          rightWeight,
          totals,
          weight,
        );
      }
      if (bin === 0) break;
      const base = bin * nClasses;
      const samples = binSamples[bin];
      const first = samples === 1 ? binClass[bin] : 0;
      const last = samples === 1 ? first + 1 : nClasses;
      for (let k = first; k < last; k++) {
        const moved = histogram[base + k];
        if (moved === 0) continue;
        const l = sweepLeft[k];
        leftSquares += moved * (moved - 2 * l);
        rightSquares += moved * (2 * (totals[k] - l) + moved);
        sweepLeft[k] = l - moved;
        rightWeight += moved;
        histogram[base + k] = 0;
      }
      rightSamples += samples;
      binSamples[bin] = 0;
      previousBin = bin;
    }
  }

  /**
   * Scores the boundary between `lastLeftBin` and `firstRightBin` (the sweep's state there:
   * the right child's samples, weight and sum of squared class totals, the left child's sum
   * of squares and {@link sweepLeft}) if both sides may be leaves, and keeps it if it is the
   * best so far. Among equal scores the lowest boundary of the first feature examined wins,
   * as in an ascending sweep: the sweep reaches a feature's lower boundaries later, so they
   * win ties against the same feature's higher ones, but never against an earlier feature's.
   */
  private considerBoundary(
    feature: number,
    lastLeftBin: number,
    firstRightBin: number,
    rightSamples: number,
    nodeSamples: number,
    leftSquares: number,
    rightSquares: number,
    rightWeight: number,
    totals: Float64Array,
    weight: number,
  ): void {
    const { minSamplesLeaf, criterion } = this.rules;
    if (
      minSamplesLeaf > 1 &&
      (rightSamples < minSamplesLeaf || nodeSamples - rightSamples < minSamplesLeaf)
    ) {
      return;
    }
    const leftWeight = weight - rightWeight;
    const score =
      criterion === 'gini'
        ? leftSquares / leftWeight + rightSquares / rightWeight
        : splitScore(criterion, this.sweepLeft, totals, this.nClasses, leftWeight, weight);
    if (score > this.bestScore || (score === this.bestScore && this.bestFeature === feature)) {
      this.recordBest(feature, lastLeftBin, firstRightBin, score);
    }
  }

  private recordBest(
    feature: number,
    lastLeftBin: number,
    firstRightBin: number,
    score: number,
  ): void {
    this.bestScore = score;
    this.bestFeature = feature;
    this.bestBin = lastLeftBin;
    // Halfway between the largest value going left and the smallest going right, as
    // scikit-learn places thresholds; if float32 rounds the midpoint up onto the right
    // value, the left value itself separates them.
    const below = this.binHigh[feature * MAX_BINS + lastLeftBin];
    const above = this.binLow[feature * MAX_BINS + firstRightBin];
    const midpoint = Math.fround((below + above) / 2);
    this.bestThreshold = midpoint < above ? midpoint : below;
  }
}

function swap(a: Int32Array | Float64Array, i: number, j: number): void {
  const held = a[i];
  a[i] = a[j];
  a[j] = held;
}
