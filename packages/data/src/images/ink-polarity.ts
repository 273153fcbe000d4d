/**
 * Whether the ink of a picture is darker than its background, from `residual`: each pixel's
 * grey level minus the background's (see `fitBackgroundPlane`). The pixels that differ from the
 * background by at least `strongDeviation` either way are the candidates for ink, and the ink is
 * the side whose candidates carry the larger mass (sum of |residual|): the digit's strokes
 * outweigh a thin frame or a speck of the other colour, and the unevenness the background model
 * leaves (the ends of a gradient, sensor noise) is mostly too faint to count and falls on both
 * sides alike.
 */
export function inkIsDarker(residual: Float32Array, strongDeviation: number): boolean {
  let lighterMass = 0;
  let darkerMass = 0;
  for (let i = 0; i < residual.length; i++) {
    const r = residual[i];
    if (r >= strongDeviation) lighterMass += r;
    else if (r <= -strongDeviation) darkerMass -= r;
  }
  return darkerMass > lighterMass;
}
