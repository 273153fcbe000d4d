// The report's learning curves: the MLP's progress reports become line charts (SVG data URIs).
import type { FitProgress } from '@typedlearn/classifiers';
import { describe, expect, it } from 'vitest';
import { learningCurvesFigure } from '../src/report/figures.js';

/** The SVG documents of a figure's `<img>` data URIs, decoded, and their alt texts. */
function pictures(body: string): { svg: string; alt: string }[] {
  return [...body.matchAll(/<img src="data:image\/svg\+xml;base64,([^"]+)" alt="([^"]*)">/g)].map(
    ([, data, alt]) => ({ svg: Buffer.from(data, 'base64').toString('utf8'), alt }),
  );
}

/** The names of the lines a chart draws, from their aria-labels. */
const lineNames = (svg: string): string[] =>
  [
    ...svg.matchAll(/series: ([^"]+)" role="graphics-symbol" aria-roledescription="line mark"/g),
  ].map(([, name]) => name);

const epoch = (step: number, validationAccuracy?: number): FitProgress => ({
  stage: 'epoch',
  step,
  total: 3,
  loss: 1 / step,
  trainAccuracy: 0.5 + step / 10,
  validationAccuracy,
});

describe('learningCurvesFigure', () => {
  it('draws the loss, and the training and validation accuracy, per epoch', async () => {
    const history = [
      { stage: 'batch', step: 1, total: 9 },
      epoch(1, 0.55),
      epoch(2, 0.6),
      epoch(3, 0.62),
    ];
    const figure = await learningCurvesFigure(history, 'mlp');
    expect(figure.id).toBe('learning-curves');
    expect(figure.caption).toContain('after each of its 3 epochs');
    const [loss, accuracy, ...rest] = pictures(figure.body);
    expect(rest).toEqual([]);
    expect(loss.alt).toBe('mlp loss per epoch');
    expect(lineNames(loss.svg)).toEqual(['Training loss']);
    expect(loss.svg).toContain('>mlp: loss</text>');
    expect(loss.svg).toContain('>Cross-entropy</text>');
    expect(accuracy.alt).toBe('mlp accuracy per epoch');
    expect(lineNames(accuracy.svg)).toEqual(['Training', 'Validation']);
    // Three epochs: each line has three points.
    for (const { svg } of [loss, accuracy]) {
      for (const [, d] of svg.matchAll(/aria-roledescription="line mark" d="([^"]+)"/g)) {
        expect(d.split(/[ML]/).filter(Boolean)).toHaveLength(3);
      }
    }
  });

  it('leaves out the validation curve when none was measured, and an empty chart', async () => {
    const withoutValidation = await learningCurvesFigure([epoch(1), epoch(2)], 'mlp');
    const [, accuracy] = pictures(withoutValidation.body);
    expect(lineNames(accuracy.svg)).toEqual(['Training']);

    const lossOnly = await learningCurvesFigure(
      [{ stage: 'epoch', step: 1, total: 1, loss: 0.5 }],
      'mlp',
    );
    expect(pictures(lossOnly.body).map(({ alt }) => alt)).toEqual(['mlp loss per epoch']);
  });
});
