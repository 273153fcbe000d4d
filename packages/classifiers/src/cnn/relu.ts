import type { Layer } from './layer.js';
import type { Floats } from './precision.js';

/** relu(x) = max(x, 0) on rows of `size` values; relu'(x) = [x > 0], read off the output. */
export class Relu implements Layer {
  constructor(private readonly size: number) {}

  forward(_params: Floats, input: Floats, output: Floats, rows: number): void {
    const n = rows * this.size;
    for (let i = 0; i < n; i++) output[i] = input[i] > 0 ? input[i] : 0;
  }

  backward(
    _params: Floats,
    _gradient: Floats,
    _input: Floats,
    output: Floats,
    outputDelta: Floats,
    inputDelta: Floats | null,
    rows: number,
  ): void {
    if (inputDelta === null) return;
    const n = rows * this.size;
    for (let i = 0; i < n; i++) inputDelta[i] = output[i] > 0 ? outputDelta[i] : 0;
  }
}
