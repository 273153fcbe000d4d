import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, fitProgress } from '../src/progress.js';

/** A stream that records what is written to it, pretending to be a terminal or not. */
function recorder(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('plain-line progress (not a terminal)', () => {
  it('writes the first step, one line per tenth of the work, and a summary', () => {
    const out = recorder(false);
    const task = createProgress(out.stream, false).start('train mlp', 20, 'epoch');
    for (let step = 1; step <= 20; step++) task.update(step, `loss ${(1 / step).toFixed(2)}`);
    task.finish('accuracy 97.00%');
    const lines = out.text().trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'train mlp: epoch 1/20 loss 1.00',
      'train mlp: epoch 2/20 loss 0.50',
      'train mlp: epoch 4/20 loss 0.25',
    ]);
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe('train mlp: epoch 20/20 loss 0.05');
    expect(lines[11]).toMatch(/^train mlp: done in \d+\.\d s, accuracy 97.00%$/);
  });
});

describe('progress bars (a terminal)', () => {
  it('draws a bar with the count and the detail, and completes it on finish', () => {
    const out = recorder(true);
    const task = createProgress(out.stream, true).start('train svm', 45, 'pair');
    task.update(9);
    task.finish('done');
    const text = out.text();
    expect(text).toContain('\u001b['); // cursor control: the bar redraws in place
    expect(text).toMatch(/train svm \[[█░]+\] 45\/45 pairs done/);
  });
});

describe('fitProgress', () => {
  it('shows each stage of fit as its own task, with loss and accuracies', () => {
    const out = recorder(false);
    const tracker = fitProgress(createProgress(out.stream, false), 'svm');
    tracker.onProgress({ stage: 'pair', step: 1, total: 1 });
    tracker.onProgress({ stage: 'epoch', step: 1, total: 2, loss: 0.5, trainAccuracy: 0.9 });
    tracker.onProgress({ stage: 'epoch', step: 2, total: 2, loss: 0.25, validationAccuracy: 0.95 });
    tracker.finish();
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toBe('svm: pair 1/1');
    expect(lines[1]).toMatch(/^svm: done in/);
    expect(lines[2]).toBe('svm: epoch 1/2 loss 0.5000, train 90.00%');
    expect(lines[3]).toBe('svm: epoch 2/2 loss 0.2500, validation 95.00%');
    expect(lines[4]).toMatch(/^svm: done in/);
    expect(lines).toHaveLength(5);
  });
});
