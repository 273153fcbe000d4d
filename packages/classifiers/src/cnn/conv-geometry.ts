import { ValueError, type Conv2dShape } from '@typedlearn/tensor';
import type { Conv2dSpec } from './layer-spec.js';

/**
 * How a convolution's kernels lie on its input (see {@link convGeometry}): the tensor package's
 * {@link Conv2dShape} (padTop zero rows above and padLeft zero columns left of the input, more
 * implied below and right), and the padding as specified.
 */
export interface ConvGeometry extends Conv2dShape {
  /** As specified: `'same'`, or pixels on each side. */
  padding: 'same' | number;
}

/**
 * The output size and padding of a convolution on a height x width x channels input. Along one
 * axis of n pixels, kernel k and stride s:
 * - padding p pixels on each side: out = floor((n + 2p - k) / s) + 1, which must be >= 1;
 * - `'same'`: out = ceil(n / s), padded by max((out - 1) s + k - n, 0) pixels in all, half
 *   (rounded down) before the image and the rest after (TensorFlow's rule).
 */
export function convGeometry(
  spec: Conv2dSpec,
  inputShape: readonly number[],
  where: string,
): ConvGeometry {
  if (inputShape.length !== 3) {
    throw new ValueError(
      `${where}: conv2d needs an image input (height, width, channels), got a flat vector of ${inputShape[0]} values; put it before the first dense or flatten layer`,
    );
  }
  const [height, width, channels] = inputShape;
  const kernel = spec.kernelSize;
  const stride = spec.stride ?? 1;
  const padding = spec.padding ?? 0;
  const axis = (n: number) => {
    if (padding === 'same') {
      const out = Math.ceil(n / stride);
      return { out, before: Math.floor(Math.max((out - 1) * stride + kernel - n, 0) / 2) };
    }
    return { out: Math.floor((n + 2 * padding - kernel) / stride) + 1, before: padding };
  };
  const [vertical, horizontal] = [axis(height), axis(width)];
  if (vertical.out < 1 || horizontal.out < 1) {
    throw new ValueError(
      `${where}: a ${kernel} x ${kernel} kernel with padding ${padding} does not fit its ${height} x ${width} input; use padding 'same', a smaller kernel or fewer pooling layers before it`,
    );
  }
  return {
    height,
    width,
    channels,
    kernel,
    stride,
    padding,
    padTop: vertical.before,
    padLeft: horizontal.before,
    outHeight: vertical.out,
    outWidth: horizontal.out,
    filters: spec.filters,
  };
}
