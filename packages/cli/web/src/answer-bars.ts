import type { Label } from '@typedlearn/metrics';
import type { AnswerKind, ImagePrediction } from '../../src/serve/digit-predictor.js';

/**
 * One bar per class showing what the model's answer says of it, the predicted class
 * highlighted: its probability, or, for a model without probabilities, its decision score
 * (votes won plus a confidence in (-1/3, 1/3), so at most k - 1 for k classes), shown as a
 * number and a bar scaled to that maximum, never as a percentage.
 */
export class AnswerBars {
  private readonly rows: { item: HTMLLIElement; fill: HTMLElement; value: HTMLElement }[] = [];

  constructor(
    list: HTMLOListElement,
    private readonly classes: readonly Label[],
    kind: AnswerKind,
  ) {
    list.replaceChildren();
    list.dataset.kind = kind;
    list.setAttribute(
      'aria-label',
      kind === 'probabilities' ? 'Probability of each class' : 'Decision score of each class',
    );
    for (const label of classes) {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'label';
      name.textContent = String(label);
      const bar = document.createElement('span');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.className = 'fill';
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      item.append(name, bar, value);
      list.append(item);
      this.rows.push({ item, fill, value });
    }
    this.clear();
  }

  /** Shows one answer and highlights its label. */
  show(answer: ImagePrediction): void {
    const maxScore = Math.max(1, this.classes.length - 1);
    this.rows.forEach(({ item, fill, value }, k) => {
      if (answer.probabilities !== null) {
        const percent = 100 * answer.probabilities[k];
        fill.style.width = `${percent}%`;
        value.textContent = `${percent.toFixed(1)}%`;
      } else if (answer.scores !== null) {
        const score = answer.scores[k];
        fill.style.width = `${(100 * Math.max(0, score)) / maxScore}%`;
        value.textContent = score.toFixed(2);
      }
      item.classList.toggle('predicted', this.classes[k] === answer.label);
    });
  }

  /** Empty bars, nothing highlighted. */
  clear(): void {
    for (const { item, fill, value } of this.rows) {
      fill.style.width = '0';
      value.textContent = '';
      item.classList.remove('predicted');
    }
  }
}
