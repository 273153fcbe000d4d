// The drawing page: fetches the served model file, restores it with typedlearn itself, and
// reads the digit being drawn once per animation frame while it changes, entirely in the browser.
import { prepareDigitImage } from '@typedlearn/data';
import { DigitPredictor } from '../../src/serve/digit-predictor.js';
import type { ModelSummary } from '../../src/serve/model-summary.js';
import { DrawingPad } from './drawing-pad.js';
import { AnswerBars } from './answer-bars.js';

const MODEL_URL = 'model.safetensors';

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`the page has no ${selector}`);
  return found;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  return response;
}

/** "svm model from best.safetensors (deskew, pca) · 97.1% test accuracy · running in this page" */
function describeModel(predictor: DigitPredictor, summary: ModelSummary): string {
  const steps = predictor.file.preprocessing.map((step) => step.transformType);
  const parts = [
    `${predictor.file.model.modelType} model from ${summary.file}` +
      (steps.length > 0 ? ` (${steps.join(', ')})` : ''),
  ];
  if (summary.testAccuracy !== null) {
    parts.push(`${(100 * summary.testAccuracy).toFixed(1)}% test accuracy`);
  }
  if (!predictor.hasProbabilities) parts.push('scores, not probabilities');
  parts.push('running in this page');
  return parts.join(' · ');
}

async function start(): Promise<void> {
  const modelLine = element<HTMLParagraphElement>('#model');
  const digitOutput = element<HTMLOutputElement>('#digit');

  const [summary, bytes] = await Promise.all([
    fetchOk('api/model').then((response) => response.json() as Promise<ModelSummary>),
    fetchOk(MODEL_URL).then(async (response) => new Uint8Array(await response.arrayBuffer())),
  ]);
  const predictor = DigitPredictor.fromBytes(bytes, MODEL_URL);
  modelLine.textContent = describeModel(predictor, summary);
  const bars = new AnswerBars(
    element<HTMLOListElement>('#probabilities'),
    predictor.classes,
    predictor.answers,
  );

  const read = (): void => {
    if (pad.isBlank) {
      digitOutput.value = '–';
      bars.clear();
      return;
    }
    const [answer] = predictor.predict([prepareDigitImage(pad.image())]);
    digitOutput.value = String(answer.label);
    bars.show(answer);
  };
  const pad = new DrawingPad(element<HTMLCanvasElement>('#pad'), read);
  element<HTMLButtonElement>('#clear').addEventListener('click', () => {
    pad.clear();
    read();
  });
  document.body.dataset.state = 'ready';
}

start().catch((error: unknown) => {
  document.body.dataset.state = 'error';
  element('#model').textContent = `The model could not be loaded: ${(error as Error).message}`;
  console.error(error);
});
