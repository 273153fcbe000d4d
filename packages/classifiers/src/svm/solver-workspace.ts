import { allocate, KernelsArena } from '@typedlearn/tensor';
import { KernelCache } from './kernel-cache.js';
import { BLOCK_ROWS, KernelRowsScratch } from './kernel-rows.js';

/**
 * Room in a workspace's memory for each problem's solver arrays beyond the kernel-cache slab
 * (G, the sign arrays and the diagonal, 32 bytes a sample): up to 500,000 samples a problem.
 */
const SOLVER_ARRAYS_BYTES = 16 * 2 ** 20;

/**
 * The memory one thread's solver reuses from problem to problem: the kernel cache's slab
 * (at most `cacheBytes`, grown only as far as a problem of l samples can use, l^2 floats) and
 * the kernel-row scratch buffers.
 *
 * On `'wasm-simd'` the slab and each problem's solver arrays ({@link solverArena}) live in a
 * WebAssembly memory of the workspace's own (`KernelsArena.ownMemory`), so that the SMO's scans
 * read the cached kernel rows where they are instead of copying two rows in per iteration; the
 * memory is given back when the workspace is dropped at the end of the fit.
 */
export class SolverWorkspace {
  private readonly arena: KernelsArena;
  private slabArena: KernelsArena;
  private slab: Float32Array = new Float32Array(0);
  private scratch: KernelRowsScratch | undefined;

  constructor(
    readonly cacheBytes: number,
    readonly nFeatures: number,
  ) {
    this.arena = KernelsArena.ownMemory(cacheBytes + SOLVER_ARRAYS_BYTES, allocate);
    this.slabArena = this.arena.child();
  }

  /** An empty kernel cache for an l x l matrix. */
  cache(l: number): KernelCache {
    // The solver holds two rows while a block of BLOCK_ROWS more is computed.
    const minRows = BLOCK_ROWS + 2;
    const budget = Math.floor(this.cacheBytes / Float32Array.BYTES_PER_ELEMENT);
    const wanted = Math.max(Math.min(budget, l * l), Math.min(l, minRows) * l);
    if (this.slab.length < wanted) {
      this.slabArena.release();
      this.slabArena = this.arena.child();
      this.slab = this.slabArena.allocate('float32', wanted);
    }
    return new KernelCache(this.slab, l, minRows);
  }

  /** An arena for one problem's solver arrays, in the slab's memory: release it after the solve. */
  solverArena(): KernelsArena {
    return this.arena.child();
  }

  /** Scratch for kernel rows against up to `targets` rows. */
  rowsScratch(targets: number): KernelRowsScratch {
    if (this.scratch === undefined || this.scratch.stride < targets) {
      this.scratch = new KernelRowsScratch(this.nFeatures, targets);
    }
    return this.scratch;
  }
}
