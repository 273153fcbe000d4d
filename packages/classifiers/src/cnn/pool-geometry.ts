import { ValueError, type PoolShape } from '@typedlearn/tensor';
import type { PoolSpec } from './layer-spec.js';

/** Where a pooling layer's windows lie on its input (see {@link poolGeometry}). */
export type PoolGeometry = PoolShape;

/**
 * The windows of a pooling layer on a height x width x channels input: `size` x `size`,
 * starting every `stride` pixels (default `size`) as long as they start inside the input, and
 * cut at the bottom and right edges rather than dropped (PyTorch's `ceil_mode`), so that every
 * pixel is in some window and any input size works. Along one axis of n pixels:
 *   out = min(ceil(n / stride), max(1, ceil((n - size) / stride) + 1)),
 * which for size = stride dividing n is the usual n / size (28 -> 14 -> 7).
 */
export function poolGeometry(
  spec: PoolSpec,
  inputShape: readonly number[],
  where: string,
): PoolGeometry {
  if (inputShape.length !== 3) {
    throw new ValueError(
      `${where}: ${spec.type} needs an image input (height, width, channels), got a flat vector of ${inputShape[0]} values; put it before the first dense or flatten layer`,
    );
  }
  const [height, width, channels] = inputShape;
  const { size } = spec;
  const stride = spec.stride ?? size;
  const windows = (n: number) =>
    Math.min(Math.ceil(n / stride), Math.max(1, Math.ceil((n - size) / stride) + 1));
  return {
    height,
    width,
    channels,
    size,
    stride,
    outHeight: windows(height),
    outWidth: windows(width),
  };
}
