// The drawing page: fetches the served models, restores the default one with typedlearn
// itself, and reads the digit being drawn once per animation frame while it changes, entirely
// in the browser. It shows what the model sees (the prepared 28 x 28 image), can undo and
// clear (buttons and keys), offers real MNIST digits to try, and switches between the
// server's models when it has several.
import { prepareDigitImage } from '@typedlearn/data';
import { ready } from '@typedlearn/tensor';
import { DIGIT_SIDE, type DigitPredictor } from '../../src/serve/digit-predictor.js';
import { AnswerBars } from './answer-bars.js';
import { AnswerTimer } from './answer-timer.js';
import { showGallery } from './digit-gallery.js';
import { DigitPreview } from './digit-preview.js';
import { DrawingPad } from './drawing-pad.js';
import { pressOnShortcuts } from './key-shortcuts.js';
import type { ModelListing } from '../../src/serve/served-models.js';
import { ModelCatalog } from './model-catalog.js';
import { describeModel } from './model-line.js';
import { offerModels } from './model-switch.js';

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`the page has no ${selector}`);
  return found;
}

async function start(): Promise<void> {
  const modelLine = element<HTMLParagraphElement>('#model');
  const digitOutput = element<HTMLOutputElement>('#digit');
  const barList = element<HTMLOListElement>('#probabilities');
  const undoButton = element<HTMLButtonElement>('#undo');
  const clearButton = element<HTMLButtonElement>('#clear');
  const preview = new DigitPreview(element<HTMLCanvasElement>('#preview'));
  const timer = new AnswerTimer(element<HTMLElement>('#answer-time'));
  // The WebAssembly kernels, compiled asynchronously: a browser's main thread may refuse to
  // compile them synchronously on first use.
  const [catalog] = await Promise.all([ModelCatalog.fetch(), ready()]);

  // The model answering, and its bars (one per class: another model may have other classes).
  let predictor: DigitPredictor;
  let bars: AnswerBars;

  /** Reads the pad afresh and shows the answer: the prepared image, the label, the bars. */
  const read = (): void => {
    undoButton.disabled = !pad.canUndo;
    if (pad.isBlank) {
      digitOutput.value = '–';
      bars.clear();
      preview.clear();
      return;
    }
    const image = prepareDigitImage(pad.image());
    preview.show(image);
    const [answer] = predictor.predict([image]);
    digitOutput.value = String(answer.label);
    bars.show(answer);
    timer.answered();
  };
  const pad = new DrawingPad(element<HTMLCanvasElement>('#pad'), {
    onDraw: read,
    onStrokeEnd: () => timer.strokeEnded(),
  });

  const answerWith = (entry: ModelListing, model: DigitPredictor): void => {
    predictor = model;
    bars = new AnswerBars(barList, model.classes, model.answers);
    modelLine.textContent = describeModel(model, entry.summary);
    read();
  };
  answerWith(catalog.default, await catalog.predictor(catalog.default));

  let chosen = catalog.default.name;
  offerModels(
    element<HTMLElement>('#model-switch'),
    element<HTMLSelectElement>('#model-choice'),
    catalog.entries,
    catalog.default,
    (name) => {
      const entry = catalog.named(name)!;
      chosen = name;
      document.body.dataset.state = 'loading';
      catalog.predictor(entry).then(
        (model) => {
          if (chosen !== name) return; // a later choice is loading
          answerWith(entry, model);
          document.body.dataset.state = 'ready';
        },
        (error: unknown) => showError(`The model ${name} could not be loaded`, error),
      );
    },
  );

  undoButton.addEventListener('click', () => {
    pad.undo();
    read();
  });
  clearButton.addEventListener('click', () => {
    pad.clear();
    read();
  });
  pressOnShortcuts([undoButton, clearButton]);
  showGallery(element<HTMLElement>('#gallery'), (digit) => {
    pad.showDigit(digit.pixels, DIGIT_SIDE);
    read();
  });
  document.body.dataset.state = 'ready';
}

function showError(what: string, error: unknown): void {
  document.body.dataset.state = 'error';
  element('#model').textContent = `${what}: ${(error as Error).message}`;
  console.error(error);
}

start().catch((error: unknown) => showError('The model could not be loaded', error));
