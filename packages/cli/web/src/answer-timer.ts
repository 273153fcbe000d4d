/**
 * How long the page takes to answer a finished stroke: from the pen lifting (pointerup) to the
 * answer being on the page, measured with `performance.now()`. The last figure is shown to the
 * reader and kept, in milliseconds, in the `data-answer-ms` attribute of `<body>`.
 */
export class AnswerTimer {
  private strokeEndedAt: number | undefined;

  constructor(private readonly shown: HTMLElement) {}

  /** The pen lifted: the clock starts. */
  strokeEnded(): void {
    this.strokeEndedAt = performance.now();
  }

  /** The answer is shown: records the time since the stroke ended, if one ended since the last answer. */
  answered(): void {
    if (this.strokeEndedAt === undefined) return;
    const ms = (performance.now() - this.strokeEndedAt).toFixed(1);
    this.strokeEndedAt = undefined;
    document.body.dataset.answerMs = ms;
    this.shown.textContent = `Answered ${ms} ms after the pen lifted.`;
  }
}
