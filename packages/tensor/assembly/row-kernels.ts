/**
 * Row kernels of the `wasm-simd` backend (src/dense-rows.ts): the dot products, or the squared
 * Euclidean distances, of one query row with many rows of a dense row-major matrix, as the
 * kernel rows of an SVM need them (K(q, x_t) for every t).
 *
 * Each pair is reduced with f32x4 vectors over the features, 16 at a time in four independent
 * accumulators (so the adds of one step do not wait for each other), then the four vectors are
 * added lane by lane, the four lanes added together, and the last `cols % 16` features added one
 * by one. That order depends only on `cols`, never on where the row sits or which other rows
 * are computed in the same call, so a value is the same whichever call computes it.
 *
 * Squared distances are summed as sum (q - x)^2 directly, not by the expansion
 * |q|^2 + |x|^2 - 2 q.x, which cancels: every term is non-negative, so the float32 sum keeps its
 * relative accuracy even for rows close to each other.
 *
 * Pointers are byte offsets into the module's memory: `x` the matrix (rows of `cols` float32s),
 * `query` one row of `cols` float32s, `targets` `count` int32 row indices (or, when `indexed` is
 * false, the rows first, first + 1, ...), `out` `count` float32 results.
 */
export function rowDots(
  x: usize,
  cols: i32,
  query: usize,
  indexed: bool,
  targets: usize,
  first: i32,
  count: i32,
  out: usize,
): void {
  const rowBytes = (<usize>cols) << 2;
  for (let t = 0; t < count; t++) {
    const index = indexed ? load<i32>(targets + ((<usize>t) << 2)) : first + t;
    store<f32>(out + ((<usize>t) << 2), dot(x + <usize>index * rowBytes, query, cols));
  }
}

/** As {@link rowDots}, with out[t] = sum over features of (query - x_t)^2. */
export function rowSquaredDistances(
  x: usize,
  cols: i32,
  query: usize,
  indexed: bool,
  targets: usize,
  first: i32,
  count: i32,
  out: usize,
): void {
  const rowBytes = (<usize>cols) << 2;
  for (let t = 0; t < count; t++) {
    const index = indexed ? load<i32>(targets + ((<usize>t) << 2)) : first + t;
    store<f32>(out + ((<usize>t) << 2), squaredDistance(x + <usize>index * rowBytes, query, cols));
  }
}

function dot(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = (<usize>i) << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + at), v128.load(b + at)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + at, 16), v128.load(b + at, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a + at, 32), v128.load(b + at, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a + at, 48), v128.load(b + at, 48)));
  }
  let sum = horizontalSum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    sum += load<f32>(a + at) * load<f32>(b + at);
  }
  return sum;
}

function squaredDistance(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = (<usize>i) << 2;
    const d0 = f32x4.sub(v128.load(a + at), v128.load(b + at));
    const d1 = f32x4.sub(v128.load(a + at, 16), v128.load(b + at, 16));
    const d2 = f32x4.sub(v128.load(a + at, 32), v128.load(b + at, 32));
    const d3 = f32x4.sub(v128.load(a + at, 48), v128.load(b + at, 48));
    s0 = f32x4.add(s0, f32x4.mul(d0, d0));
    s1 = f32x4.add(s1, f32x4.mul(d1, d1));
    s2 = f32x4.add(s2, f32x4.mul(d2, d2));
    s3 = f32x4.add(s3, f32x4.mul(d3, d3));
  }
  let sum = horizontalSum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const d = load<f32>(a + at) - load<f32>(b + at);
    sum += d * d;
  }
  return sum;
}

/** (v0 + v1) + (v2 + v3) of the four lanes. */
function horizontalSum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}
