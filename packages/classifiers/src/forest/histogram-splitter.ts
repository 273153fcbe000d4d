import type { Rng } from '@typedlearn/tensor';
import { MAX_BINS, type BinnedFeatures } from './feature-binning.js';
import { FEATURES_PER_PASS, HistogramScratch, OCCUPIED_WORDS } from './histogram-scratch.js';
import { splitScore, type Criterion } from './impurity.js';

/**
 * Largest node whose subtree is grown from a local copy of its samples' bins
 * (LOCAL_SAMPLES x nFeatures bytes: 784 KB for MNIST, within the 1 MB L2 cache of a core of
 * the reference machine). Smaller blocks are copied more often, each serving fewer scans; much
 * larger ones no longer fit in a core's cache.
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
 * The features that are not are then histogrammed, in the order drawn and
 * {@link FEATURES_PER_PASS} per pass over the node's samples, into a {@link HistogramScratch}:
 * each adds the node's weighted class counts into a histogram over the feature's bins (no
 * sorting). Each histogram's occupied bins (a bitmap records them) are then swept from the
 * highest down, moving one bin at a time from the left child to the right and scoring each
 * boundary with {@link splitScore}. Bin 0 is left out of the histogram: its counts are what the
 * other bins leave of the node's, and the downward sweep ends at it without needing them (see
 * {@link scanNonConstant}).
 *
 * Every scan gathers one byte per sample from a feature's column. Partitions are stable, so
 * each node's sample indices stay ascending and the gathers sweep the column forward. Once a
 * node is small ({@link LOCAL_SAMPLES}), the rows of bins of its samples (one contiguous row
 * per sample in {@link BinnedFeatures.rows}) are copied into a small block that the node's
 * whole subtree then reads from cache, instead of touching a scattered byte in a cold column
 * per sample and feature.
 *
 * Features are drawn as scikit-learn's `BestSplitter` draws them: without replacement, until
 * `maxFeatures` have been examined and at least one of them was not constant in the node.
 * A feature found constant in a node is constant in all its descendants, so it is remembered
 * (moved to the front of the feature permutation) and never scanned again below it.
 */
export class HistogramSplitter {
  private readonly binned: BinnedFeatures;
  /**
   * The bins the scans read: sample p's bin of feature f is at
   * `source[f * stride + sampleIndex[p]]`. Either all samples' columns (stride nSamples), or
   * a small subtree's rows in {@link local} (stride 1, sample indices scaled to row offsets).
   */
  private source: Uint8Array;
  private stride: number;
  /** Room for the rows of bins of a small subtree's samples. */
  private readonly local: Uint8Array;
  private readonly nFeatures: number;
  private readonly nClasses: number;
  private readonly binLow: Float32Array;
  private readonly binHigh: Float32Array;

  /**
   * The tree's samples: `sampleIndex[p]` is a row of the training matrix, or, inside a
   * localised subtree, where the sample's row starts in the local block.
   */
  private readonly sampleIndex: Int32Array;
  /** Class of sample p. */
  private readonly label: Int32Array;
  /** Weight of sample p: bootstrap multiplicity times sample weight (class weight included). */
  private readonly weight: Float64Array;
  /** Scratch for the right child's samples during a stable partition. */
  private readonly spareIndex: Int32Array;
  private readonly spareLabel: Int32Array;
  private readonly spareWeight: Float64Array;

  /**
   * The histograms of a pass, filled by {@link fillGroup} or {@link fillHistogram} and emptied
   * again by {@link sweepOccupiedBins}.
   */
  private readonly scratch: HistogramScratch;
  /** The features of the node being split that are not constant there, in the order drawn. */
  private readonly toHistogram: Int32Array;
  /** Class totals of the left child while sweeping. */
  private readonly sweepLeft: Float64Array;

  /** Permutation of the features; the first entries are the node's known-constant ones. */
  private readonly features: Int32Array;
  /** Where the i-th known-constant feature drawn at the node came from in {@link features}. */
  private readonly knownDrawn: Int32Array;

  /** Best split found by the last {@link findBestSplit}. */
  bestFeature = -1;
  /** Highest bin of {@link bestFeature} that goes left. */
  bestBin = -1;
  /** Threshold on the raw feature: `x <= threshold` goes left. */
  bestThreshold = 0;
  private bestScore = -Infinity;
  /** Known-constant features for the children of the last node split. */
  constantCount = 0;

  /**
   * The tree's samples are those of positive weight: `multiplicity[i]` (how often sample i was
   * drawn, or null for once each) times `sampleWeight[i]` (its weight in the loss, class
   * weight included, or null for 1). Samples of weight 0 are left out, as scikit-learn's
   * splitter leaves them out, so they count towards no node's size.
   */
  constructor(
    binned: BinnedFeatures,
    y: Int32Array,
    nClasses: number,
    sampleWeight: Float64Array | null,
    multiplicity: Int32Array | null,
    private readonly rules: SplitRules,
    private readonly rng: Rng,
  ) {
    this.binned = binned;
    this.source = binned.columns;
    this.stride = binned.nSamples;
    this.local = new Uint8Array(Math.min(LOCAL_SAMPLES, binned.nSamples) * binned.rowStride);
    this.nFeatures = binned.nFeatures;
    this.binLow = binned.binLow;
    this.binHigh = binned.binHigh;
    this.nClasses = nClasses;

    let inBag = 0;
    for (let i = 0; i < binned.nSamples; i++) {
      if (sampleWeightOf(i, multiplicity, sampleWeight) > 0) inBag++;
    }
    this.sampleIndex = new Int32Array(inBag);
    this.label = new Int32Array(inBag);
    this.weight = new Float64Array(inBag);
    let p = 0;
    for (let i = 0; i < binned.nSamples; i++) {
      const weight = sampleWeightOf(i, multiplicity, sampleWeight);
      if (weight === 0) continue;
      this.sampleIndex[p] = i;
      this.label[p] = y[i];
      this.weight[p] = weight;
      p++;
    }
    this.spareIndex = new Int32Array(inBag);
    this.spareLabel = new Int32Array(inBag);
    this.spareWeight = new Float64Array(inBag);

    this.scratch = new HistogramScratch(nClasses);
    this.toHistogram = new Int32Array(binned.nFeatures);
    this.sweepLeft = new Float64Array(nClasses);
    this.features = new Int32Array(binned.nFeatures);
    for (let f = 0; f < binned.nFeatures; f++) this.features[f] = f;
    this.knownDrawn = new Int32Array(binned.nFeatures);
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
    const { features, knownDrawn, rng } = this;
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
    let nonConstant = 0;
    while (
      undrawnEnd > totalConstants &&
      (visited < maxFeatures || visited <= foundConstants + drawnConstants)
    ) {
      visited++;
      let j = drawnConstants + rng.int(undrawnEnd - foundConstants - drawnConstants);
      if (j < knownConstants) {
        // A feature already known to be constant: counts as examined, costs nothing.
        swap(features, drawnConstants, j);
        knownDrawn[drawnConstants] = j;
        drawnConstants++;
        continue;
      }
      j += foundConstants;
      if (this.isConstant(features[j] * this.stride, start, end)) {
        swap(features, j, totalConstants);
        foundConstants++;
        totalConstants++;
      } else {
        this.toHistogram[nonConstant++] = features[j];
        undrawnEnd--;
        swap(features, undrawnEnd, j);
      }
    }
    // Which features are drawn depends only on which are constant, so the histograms can wait
    // until all are drawn; they are swept in the order drawn, so ties are broken as before.
    this.scanNonConstant(nonConstant, start, end, totals, weight);
    // Drawing known constants swapped them among themselves: undo those swaps, last first, so
    // the siblings find them in the order they expect. The constants found here follow them.
    for (let c = drawnConstants - 1; c >= 0; c--) swap(features, c, knownDrawn[c]);
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
   * Copies the rows of bins of the samples in `[start, end)` (at most {@link LOCAL_SAMPLES})
   * into the local block, which the scans then read until {@link leaveLocal}; only nodes inside
   * this range may be split meanwhile.
   *
   * A scan of the block reads one byte per row, a row's length apart, where a column-major
   * block would be read in order. The rows are still copied whole: transposing them into
   * columns speeds the scans up by less than the transposition costs, and the code is simpler.
   */
  enterLocal(start: number, end: number): void {
    const { rows, rowStride } = this.binned;
    const { local, sampleIndex } = this;
    const count = end - start;
    for (let j = 0; j < count; j++) {
      const row = sampleIndex[start + j] * rowStride;
      local.set(rows.subarray(row, row + rowStride), j * rowStride);
      sampleIndex[start + j] = j * rowStride;
    }
    this.source = local;
    this.stride = 1;
  }

  /** Returns to scanning all samples' columns (the local subtree is finished). */
  leaveLocal(): void {
    this.source = this.binned.columns;
    this.stride = this.binned.nSamples;
  }

  /**
   * Histograms the first `count` features of {@link toHistogram} over the node's samples,
   * {@link FEATURES_PER_PASS} per pass ({@link fillGroup}, the rest one by one with
   * {@link fillHistogram}), and scores every boundary between two occupied bins of each,
   * keeping the best split so far.
   *
   * Bin 0 is never added sample by sample: its class weights and number of samples are
   * whatever the other bins leave of the node's, so the sweep runs from the highest bin down
   * and never needs them (LightGBM skips its most frequent bin the same way). On MNIST bin 0 is
   * a blank pixel, most of the samples a scan visits; adding them one by one would be the
   * slowest part of the fill, since in a nearly pure node they all update the same histogram
   * cell, each update waiting for the one before.
   */
  private scanNonConstant(
    count: number,
    start: number,
    end: number,
    totals: Float64Array,
    weight: number,
  ): void {
    const { toHistogram, stride } = this;
    const samples = end - start;
    let i = 0;
    for (; i + FEATURES_PER_PASS <= count; i += FEATURES_PER_PASS) {
      const column0 = toHistogram[i] * stride;
      const column1 = toHistogram[i + 1] * stride;
      const column2 = toHistogram[i + 2] * stride;
      const column3 = toHistogram[i + 3] * stride;
      this.fillGroup(column0, column1, column2, column3, start, end);
      for (let slot = 0; slot < FEATURES_PER_PASS; slot++) {
        this.sweepOccupiedBins(toHistogram[i + slot], slot, samples, totals, weight);
      }
    }
    for (; i < count; i++) {
      this.fillHistogram(toHistogram[i] * stride, start, end);
      this.sweepOccupiedBins(toHistogram[i], 0, samples, totals, weight);
    }
  }

  /**
   * Whether every sample of `[start, end)` has the same bin in the column at `column`. Reads
   * only (no histogram writes), and stops at the first difference: many of the features drawn
   * in small nodes are constant there (on MNIST, mostly blank pixels).
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
   * Adds the samples of `[start, end)` outside bin 0 to slot 0 of the scratch, by their bins
   * in the column at `column`.
   */
  private fillHistogram(column: number, start: number, end: number): void {
    const { source, sampleIndex, label, weight, scratch } = this;
    for (let p = start; p < end; p++) {
      const bin = source[column + sampleIndex[p]];
      if (bin !== 0) scratch.add(0, bin, label[p], weight[p]);
    }
  }

  /**
   * {@link fillHistogram} for the {@link FEATURES_PER_PASS} (four) columns at `column0` to
   * `column3` at once, into slots 0 to 3: one read of each sample's index, class and weight
   * serves all four, and one test skips a sample in bin 0 of all four.
   */
  private fillGroup(
    column0: number,
    column1: number,
    column2: number,
    column3: number,
    start: number,
    end: number,
  ): void {
    const { source, sampleIndex, label, weight, scratch } = this;
    for (let p = start; p < end; p++) {
      const at = sampleIndex[p];
      const bin0 = source[column0 + at];
      const bin1 = source[column1 + at];
      const bin2 = source[column2 + at];
      const bin3 = source[column3 + at];
      if ((bin0 | bin1 | bin2 | bin3) === 0) continue;
      const k = label[p];
      const w = weight[p];
      if (bin0 !== 0) scratch.add(0, bin0, k, w);
      if (bin1 !== 0) scratch.add(1, bin1, k, w);
      if (bin2 !== 0) scratch.add(2, bin2, k, w);
      if (bin3 !== 0) scratch.add(3, bin3, k, w);
    }
  }

  /**
   * Sweeps the bins of slot `slot`, as a fill left them, from the highest down (`feature` is
   * the feature they histogram). Every sample starts in the left child; at each occupied bin
   * the boundary just above it is scored, then the bin is taken out of the scratch (which
   * empties it) and its weights move to the right child. The last boundary, above bin 0, is
   * scored only when bin 0 holds samples: when the bins above it hold fewer than the node's
   * `nodeSamples`.
   *
   * The two sums of squared class totals of the Gini score ({@link splitScore}) are updated
   * in O(1) per class moved: (r + h)^2 = r^2 + h (2 r + h) and (l - h)^2 = l^2 + h (h - 2 l).
   * Only the classes the fill recorded in the bin's class mask are visited: one in most bins
   * of a small node, a few in larger nodes, which are mostly nearly pure. The running sums are
   * local variables, which V8 keeps in registers, and are passed to {@link considerBoundary} as
   * arguments: as fields of the splitter they would be stored and reloaded at every bin.
   */
  private sweepOccupiedBins(
    feature: number,
    slot: number,
    nodeSamples: number,
    totals: Float64Array,
    weight: number,
  ): void {
    const { scratch, sweepLeft, nClasses } = this;
    sweepLeft.set(totals);
    let leftSquares = 0;
    for (let k = 0; k < nClasses; k++) leftSquares += totals[k] * totals[k];
    let rightSquares = 0;
    let rightSamples = 0;
    let rightWeight = 0;
    let previousBin = -1;
    let word = OCCUPIED_WORDS;
    let bits = 0;
    for (;;) {
      while (bits === 0 && word > 0) {
        word--;
        bits = scratch.takeOccupiedWord(slot, word);
      }
      // The next occupied bin down; after the last, bin 0 if it holds samples (its boundary is
      // scored, nothing moves); otherwise the sweep is over.
      let bin = 0;
      if (bits !== 0) {
        const high = 31 - Math.clz32(bits);
        bits ^= 1 << high;
        bin = (word << 5) | high;
      } else if (rightSamples === nodeSamples) {
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
      const binWeights = scratch.weightsOf(slot, bin);
      let classes = scratch.takeClassMask(slot, bin);
      while (classes !== 0) {
        const lowest = classes & -classes;
        classes ^= lowest;
        for (let k = 31 - Math.clz32(lowest); k < nClasses; k += 32) {
          const moved = scratch.takeWeight(binWeights, k);
          if (moved === 0) continue;
          const l = sweepLeft[k];
          leftSquares += moved * (moved - 2 * l);
          rightSquares += moved * (2 * (totals[k] - l) + moved);
          sweepLeft[k] = l - moved;
          rightWeight += moved;
        }
      }
      rightSamples += scratch.takeSampleCount(slot, bin);
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

/**
 * The weight of sample i in a tree: its bootstrap count times its weight, as scikit-learn
 * multiplies the drawn counts into the sample weights.
 */
function sampleWeightOf(
  i: number,
  multiplicity: Int32Array | null,
  sampleWeight: Float64Array | null,
): number {
  const copies = multiplicity === null ? 1 : multiplicity[i];
  return sampleWeight === null ? copies : copies * sampleWeight[i];
}

function swap(a: Int32Array | Float64Array, i: number, j: number): void {
  const held = a[i];
  a[i] = a[j];
  a[j] = held;
}
