/**
 * A decoded picture: RGBA pixels, 8 bits a channel, row-major and interleaved. It is the
 * 4-channel case of `RasterImage` in `@typedlearn/data`, so `prepareDigitImage` takes it as it
 * is; the type is declared here so that reading files needs no other typedlearn package.
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** Always 4: red, green, blue, alpha. */
  channels: 4;
  /** `width * height * 4` bytes. */
  data: Uint8Array;
}
