/**
 * The `size` highest-scoring indices offered since the last {@link clear}, best first: a
 * bounded insertion list, cheap when most offers score below the current last place.
 */
export class RunnersUp {
  readonly indices: Int32Array;
  private readonly scores: Float64Array;

  constructor(readonly size: number) {
    this.indices = new Int32Array(size);
    this.scores = new Float64Array(size);
    this.clear();
  }

  clear(): void {
    this.indices.fill(-1);
    this.scores.fill(-Infinity);
  }

  /** Offers `index` with `score`; returns the score now in last place (what beats the list). */
  offer(index: number, score: number): number {
    const { indices, scores } = this;
    let at = this.size - 1;
    if (!(score > scores[at])) return scores[at];
    while (at > 0 && score > scores[at - 1]) {
      scores[at] = scores[at - 1];
      indices[at] = indices[at - 1];
      at--;
    }
    scores[at] = score;
    indices[at] = index;
    return scores[this.size - 1];
  }
}
