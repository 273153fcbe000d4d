import { MAX_BINS } from './feature-binning.js';

/**
 * Features histogrammed together in one pass over a node's samples, which then share the
 * reads of each sample's index, class and weight, and one test for all of them in bin 0. Not a
 * setting: the pass (`HistogramSplitter.fillGroup`) is written out for exactly four features.
 */
export const FEATURES_PER_PASS = 4;

// V8 (that of Node 20, at least) compiles the value of a module's own constant into the code
// that reads it, but reads an imported or exported constant from memory at run time; the index
// arithmetic below runs for every sample, so it uses these local copies.
const BINS = MAX_BINS;
const WORDS = MAX_BINS / 32;

/** Words of a slot's bitmap of occupied bins. */
export const OCCUPIED_WORDS = WORDS;

// The per-bin bookkeeping beside the class weights. Unlike the weights, whose size depends on
// the number of classes, it has a fixed size, so it can be module constants, whose addresses
// and lengths V8 compiles into the loops that use them (the fills run once per sample). So every
// scratch of a thread shares one set. That is safe because a thread grows one tree at a time,
// and a scan (a fill, then the sweeps that empty it again) runs to its end without yielding.

/**
 * The classes in each bin as a bitmask: bit `k & 31` for class k (with more than 32 classes a
 * bit stands for several, whose empty cells the sweep skips).
 */
const BIN_CLASSES = new Int32Array(FEATURES_PER_PASS * BINS);
/** Number of samples per bin. */
const BIN_SAMPLES = new Int32Array(FEATURES_PER_PASS * BINS);
/** Bitmap of occupied bins: bit b set when bin b holds a sample of the node. */
const OCCUPIED = new Int32Array(FEATURES_PER_PASS * WORDS);

/**
 * The histograms of one pass over a node's samples, one slot per feature of the pass. A slot
 * holds, per bin, the weighted class counts, the number of samples and a mask of the classes
 * present, and a bitmap of the occupied bins. Bin 0 is never added to: the splitter derives it
 * from the node's totals.
 *
 * Life cycle: a fill {@link add}s a node's samples to a slot; the sweep that follows takes
 * every occupied bin back out ({@link takeOccupiedWord}, then {@link takeClassMask},
 * {@link takeWeight} for each class in the mask, and {@link takeSampleCount}), which leaves the
 * slot empty for the next fill. Nothing else clears it, and nothing needs to: a scan does not
 * throw between its fill and its sweeps.
 */
export class HistogramScratch {
  /**
   * Weighted class counts: slot s, class k, bin b at `(s * nClasses + k) * MAX_BINS + b`.
   * Class-major, so a fill's index is scaled by the constant MAX_BINS rather than by nClasses;
   * the sweep visits few classes of a bin, so their spread costs it little.
   */
  private readonly weights: Float64Array;

  constructor(private readonly nClasses: number) {
    this.weights = new Float64Array(FEATURES_PER_PASS * nClasses * BINS);
  }

  /** Adds a sample of class `k` and weight `w` to bin `bin` (not 0) of slot `slot`. */
  add(slot: number, bin: number, k: number, w: number): void {
    const at = slot * BINS + bin;
    this.weights[(slot * this.nClasses + k) * BINS + bin] += w;
    BIN_SAMPLES[at]++;
    BIN_CLASSES[at] |= 1 << (k & 31);
    OCCUPIED[slot * WORDS + (bin >> 5)] |= 1 << (bin & 31);
  }

  /** Word `word` of slot `slot`'s bitmap (bit i for bin `32 word + i`); clears it. */
  takeOccupiedWord(slot: number, word: number): number {
    const at = slot * WORDS + word;
    const bits = OCCUPIED[at];
    OCCUPIED[at] = 0;
    return bits;
  }

  /** The mask of the classes in bin `bin` of slot `slot`; clears it. */
  takeClassMask(slot: number, bin: number): number {
    const at = slot * BINS + bin;
    const classes = BIN_CLASSES[at];
    BIN_CLASSES[at] = 0;
    return classes;
  }

  /** Where the class weights of bin `bin` of slot `slot` are, for {@link takeWeight}. */
  weightsOf(slot: number, bin: number): number {
    return slot * this.nClasses * BINS + bin;
  }

  /** The weight of class `k` in the bin whose weights are at `binWeights`; clears it. */
  takeWeight(binWeights: number, k: number): number {
    const at = binWeights + k * BINS;
    const weight = this.weights[at];
    this.weights[at] = 0;
    return weight;
  }

  /** The number of samples in bin `bin` of slot `slot`; clears it. */
  takeSampleCount(slot: number, bin: number): number {
    const at = slot * BINS + bin;
    const samples = BIN_SAMPLES[at];
    BIN_SAMPLES[at] = 0;
    return samples;
  }
}
