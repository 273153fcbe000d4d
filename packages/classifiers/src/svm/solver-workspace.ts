import { KernelCache } from './kernel-cache.js';
import { BLOCK_ROWS, KernelRowsScratch } from './kernel-rows.js';

/**
 * The memory one thread's solver reuses from problem to problem: the kernel cache's slab
 * (at most `cacheBytes`, grown only as far as a problem of l samples can use, l^2 floats) and
 * the kernel-row scratch buffers.
 */
export class SolverWorkspace {
  private slab = new Float32Array(0);
  private scratch: KernelRowsScratch | undefined;

  constructor(
    readonly cacheBytes: number,
    readonly nFeatures: number,
  ) {}

  /** An empty kernel cache for an l x l matrix. */
  cache(l: number): KernelCache {
    // The solver holds two rows while a block of BLOCK_ROWS more is computed.
    const minRows = BLOCK_ROWS + 2;
    const budget = Math.floor(this.cacheBytes / Float32Array.BYTES_PER_ELEMENT);
    const wanted = Math.max(Math.min(budget, l * l), Math.min(l, minRows) * l);
    if (this.slab.length < wanted) this.slab = new Float32Array(wanted);
    return new KernelCache(this.slab, l, minRows);
  }

  /** Scratch for kernel rows against up to `targets` rows. */
  rowsScratch(targets: number): KernelRowsScratch {
    if (this.scratch === undefined || this.scratch.stride < targets) {
      this.scratch = new KernelRowsScratch(this.nFeatures, targets);
    }
    return this.scratch;
  }
}
