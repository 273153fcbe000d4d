/**
 * One bar per digit showing the model's probability for it, the predicted digit highlighted,
 * in an `<ol start="0">` (item k is digit k).
 */
export class ProbabilityBars {
  private readonly rows: { item: HTMLLIElement; fill: HTMLElement; value: HTMLElement }[] = [];

  constructor(list: HTMLOListElement, digits: number) {
    for (let digit = 0; digit < digits; digit++) {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = String(digit);
      const bar = document.createElement('span');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.className = 'fill';
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      item.append(label, bar, value);
      list.append(item);
      this.rows.push({ item, fill, value });
    }
    this.clear();
  }

  /** Shows `probabilities` (indexed by digit) and highlights `digit`. */
  show(probabilities: readonly number[], digit: number): void {
    this.rows.forEach(({ item, fill, value }, k) => {
      const percent = 100 * probabilities[k];
      fill.style.width = `${percent}%`;
      value.textContent = `${percent.toFixed(1)}%`;
      item.classList.toggle('predicted', k === digit);
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
