/** A connected piece of ink: its bounding box (inclusive), size, strongest pixel and depth. */
export interface InkComponent {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Number of its pixels. */
  pixels: number;
  /** Its largest ink value. */
  peak: number;
  /** Largest distance of its pixels from the nearest side of the picture (0: on the edge). */
  depth: number;
}

/**
 * The 8-connected components of the pixels of an ink image (row-major, `width` columns) at or
 * above a threshold. They are found run by run: each row's runs of ink are joined by union-find
 * to the runs of the row above that they touch, diagonals included (the two-pass labelling of
 * Rosenfeld & Pfaltz, "Sequential operations in digital picture processing", J. ACM 13(4),
 * 1966, on runs instead of pixels), so memory grows with the number of runs, not with the
 * picture's size.
 */
export class InkComponents {
  readonly components: readonly InkComponent[];
  private readonly runs: Runs;
  /** Component index of every run. */
  private readonly runComponent: Int32Array;
  private readonly width: number;

  constructor(ink: Float32Array, width: number, height: number, threshold: number) {
    this.width = width;
    const runs = findRuns(ink, width, height, threshold);
    const components: InkComponent[] = [];
    const runComponent = new Int32Array(runs.count);
    const middle = (width - 1) >> 1;
    for (let r = 0; r < runs.count; r++) {
      // Roots come first in their trees (a union keeps the smaller run), so every run finds
      // its root's component already made.
      const root = runs.find(r);
      if (root === r) {
        runComponent[r] = components.length;
        components.push({
          left: width,
          top: height,
          right: -1,
          bottom: -1,
          pixels: 0,
          peak: 0,
          depth: 0,
        });
      } else {
        runComponent[r] = runComponent[root];
      }
      const component = components[runComponent[r]];
      const y = runs.row[r];
      const start = runs.start[r];
      const end = runs.end[r]; // exclusive
      component.left = Math.min(component.left, start);
      component.right = Math.max(component.right, end - 1);
      component.top = Math.min(component.top, y);
      component.bottom = Math.max(component.bottom, y);
      component.pixels += end - start;
      for (let i = y * width + start; i < y * width + end; i++) {
        if (ink[i] > component.peak) component.peak = ink[i];
      }
      // The run's deepest pixel is the one nearest the middle column.
      const x = Math.min(Math.max(middle, start), end - 1);
      const depth = Math.min(y, height - 1 - y, x, width - 1 - x);
      if (depth > component.depth) component.depth = depth;
    }
    this.components = components;
    this.runs = runs;
    this.runComponent = runComponent;
  }

  /** Sets the pixels of component `index` to 0 in `ink`. */
  erase(index: number, ink: Float32Array): void {
    const { row, start, end } = this.runs;
    for (let r = 0; r < this.runs.count; r++) {
      if (this.runComponent[r] === index) {
        ink.fill(0, row[r] * this.width + start[r], row[r] * this.width + end[r]);
      }
    }
  }
}

/** The runs of ink of every row, with a union-find forest over them. */
class Runs {
  count = 0;
  row: Int32Array = new Int32Array(64);
  start: Int32Array = new Int32Array(64);
  end: Int32Array = new Int32Array(64);
  parent: Int32Array = new Int32Array(64);

  add(y: number, start: number, end: number): void {
    if (this.count === this.row.length) {
      this.row = grow(this.row);
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.parent = grow(this.parent);
    }
    this.row[this.count] = y;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.parent[this.count] = this.count;
    this.count++;
  }

  /** The root of run `r`'s tree, halving the path on the way (Tarjan & van Leeuwen, 1984). */
  find(r: number): number {
    const parent = this.parent;
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  }

  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA < rootB) this.parent[rootB] = rootA;
    else if (rootB < rootA) this.parent[rootA] = rootB;
  }
}

function findRuns(ink: Float32Array, width: number, height: number, threshold: number): Runs {
  const runs = new Runs();
  let above = 0; // first run of the row above
  for (let y = 0; y < height; y++) {
    const first = runs.count;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] < threshold) continue;
      const start = x;
      while (x < width && ink[row + x] >= threshold) x++;
      runs.add(y, start, x);
    }
    // Runs [s, e) and [s', e') of adjacent rows touch, diagonally or not, when s' <= e and e' >= s.
    let candidate = above;
    for (let r = first; r < runs.count; r++) {
      while (candidate < first && runs.end[candidate] < runs.start[r]) candidate++;
      for (let q = candidate; q < first && runs.start[q] <= runs.end[r]; q++) runs.union(r, q);
    }
    above = first;
  }
  return runs;
}

function grow(array: Int32Array): Int32Array {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}
