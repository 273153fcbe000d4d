// The typedlearn CLI end to end, as child processes on a small MNIST subset written to disk.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifierOf, type SavedModel } from '@typedlearn/classifiers';
import { loadModel } from '@typedlearn/classifiers/node';
import { flattenImages, toFloat01, type ImageSet } from '@typedlearn/data';
import { accuracy } from '@typedlearn/metrics';
import { interruptedTypedlearn, typedlearn, words, writeSmallMnist } from './helpers/cli.js';
import { drawnDigitPng, invertedDigitJpeg, tinyDigitPng } from '../../../tools/pictures.js';

const TRAIN_SIZE = 400;
const TEST_SIZE = 100;

let dir: string;
let data: string;
let sets: { train: ImageSet; test: ImageSet };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'typedlearn-cli-'));
  data = join(dir, 'data');
  sets = await writeSmallMnist(data, TRAIN_SIZE, TEST_SIZE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('usage', () => {
  it('prints help for the program and for every command', async () => {
    const top = await typedlearn(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['train', 'evaluate', 'predict', 'compare']) {
      expect(top.stdout).toContain(command);
    }
    const helps = await Promise.all(
      ['train', 'evaluate', 'predict', 'compare'].map((command) => typedlearn([command, '--help'])),
    );
    for (const help of helps) expect(help.code).toBe(0);
    expect(helps[0].stdout).toMatch(
      /--model <name>.*\(choices:\s+"softmax",\s+"svm",\s+"forest",\s+"mlp",\s+"decision-tree"/s,
    );
    for (const flag of [
      '--out',
      '--data',
      '--train-size',
      '--preprocess',
      '--seed',
      '--threads',
      '--set',
    ]) {
      expect(helps[0].stdout).toContain(flag);
    }
    expect(helps[1].stdout).toContain('--json');
    expect(helps[2].stdout).toContain('<image...>');
    expect(helps[3].stdout).toContain('--test-size');
  });

  it("lists every model's hyper-parameters with their defaults, or one model's", async () => {
    const all = await typedlearn(['params']);
    expect(all.code).toBe(0);
    for (const model of ['softmax', 'svm', 'forest', 'mlp', 'decision-tree']) {
      expect(all.stdout).toContain(`${model} (--model ${model}):`);
    }
    const svm = await typedlearn(['params', 'svm']);
    expect(svm.code).toBe(0);
    expect(svm.stdout).not.toContain('softmax');
    expect(svm.stdout).toMatch(/^ {2}C +1 +penalty of margin violations/m);
    expect(svm.stdout).toMatch(/^ {2}gamma +"scale" +kernel coefficient/m);
    expect(svm.stdout.trim().split('\n')).toHaveLength(13);
    // The convnet's long default layer list does not push the other meanings to the right.
    const cnn = (await typedlearn(['params', 'cnn'])).stdout;
    expect(cnn).toMatch(
      /^ {2}layers +\[\{"type":"conv2d".*\]\n {30,60}layer specs, input side first/m,
    );
    expect(cnn).toMatch(/^ {2}epochs +10 {1,30}passes over the training rows/im);
    const unknown = await typedlearn(['params', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'nope' is invalid.*softmax, svm, forest, mlp, decision-tree/);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      const result = await typedlearn([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });

  it.concurrent.each([
    ['train --model svm --out m.safetensors --bogus', /unknown option '--bogus'/],
    [
      'train --model knn --out m.safetensors',
      /argument 'knn' is invalid. Allowed choices are softmax, svm, forest, mlp/,
    ],
    ['train --model svm', /required option '--out <file>' not specified/],
    [
      'train --model svm --out m --train-size lots',
      /'--train-size <n>' argument 'lots' is invalid. Expected an integer >= 1/,
    ],
    ['train --model svm --out m --set nosuch=1', /--set for svm: .*unknown option 'nosuch'/],
    [
      'train --model svm --out m.safetensors --train-size 100000',
      /--train-size 100000 is more than the 60000 images the set holds; give at most 60000/,
    ],
    ['evaluate', /required option '--model <file>' not specified/],
    ['evaluate --model m.safetensors --threads 0', /'--threads <t>' argument '0' is invalid/],
    ['predict --model m.safetensors', /missing required argument 'image'/],
    ['frobnicate', /unknown command 'frobnicate'/],
  ])('exits with 2 and a clear message for `%s`', async (line, message) => {
    const result = await typedlearn(words(line));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('--help');
  });
});

describe.concurrent('train, evaluate and predict', () => {
  let model: string;
  let loaded: SavedModel;

  beforeAll(async () => {
    model = join(dir, 'models', 'svm.safetensors');
    const result = await typedlearn(
      words(`train --model svm --data ${data} --train-size 300 --seed 3`),
      ['--set', 'probability=true', 'C=5', '--out', model],
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /trained svm on 300 images in [\d.]+ s; test accuracy \d+\.\d\d% on 100 images; saved .*svm.safetensors \([\d.]+ kB\)/,
    );
    loaded = await loadModel(model);
  });

  it('reports progress as plain lines when not on a terminal', async () => {
    const result = await typedlearn(
      words(
        `train --model svm --data ${data} --train-size 100 --out ${join(dir, 'small.safetensors')}`,
      ),
    );
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    // The first step, one line per tenth of the work, and a summary.
    expect(lines[0]).toBe('train svm: pair 1/45');
    expect(lines.at(-2)).toBe('train svm: pair 45/45');
    expect(lines.at(-1)).toMatch(/^train svm: done in [\d.]+ s$/);
    expect(lines.length).toBe(12);
    expect(result.stderr).not.toContain('\u001b'); // no terminal control sequences
  });

  it('evaluate --json prints one object that agrees with the saved model', async () => {
    const result = await typedlearn(['evaluate', '--model', model, '--data', data, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['accuracy', 'recorded', 'report', 'confusionMatrix']);
    // train measured the model on the same test split and recorded it in the file.
    expect(report.recorded).toEqual({
      dataset: data,
      trainRows: 300,
      testRows: TEST_SIZE,
      testAccuracy: report.accuracy,
    });

    const X = toFloat01(flattenImages(sets.test.images));
    const expected = accuracy(sets.test.labels, loaded.predict(X));
    expect(report.accuracy).toBeCloseTo(expected, 12);
    const matrix: number[][] = report.confusionMatrix;
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    const diagonal = matrix.reduce((sum, row, i) => sum + row[i], 0);
    expect(total).toBe(TEST_SIZE);
    expect(diagonal / total).toBeCloseTo(report.accuracy, 12);
    expect(report.report.accuracy).toBeCloseTo(report.accuracy, 12);
  });

  it('evaluate prints accuracy, the classification report and the confusion matrix', async () => {
    const result = await typedlearn(['evaluate', '--model', model, '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /on 100 test images: accuracy (\d+\.\d\d%) \(recorded at training: \1 on 100 test images of .*data\)/,
    );
    // On one thread the same answers.
    const alone = await typedlearn([
      'evaluate',
      '--model',
      model,
      '--data',
      data,
      '--threads',
      '1',
    ]);
    expect(alone.stdout).toBe(result.stdout);
    expect(result.stdout).toMatch(/precision\s+recall\s+f1-score\s+support/);
    expect(result.stdout).toMatch(/weighted avg/);
    expect(result.stdout).toContain('Confusion matrix');
  });

  describe('predict on image files', () => {
    let files: Record<string, string>;
    /** Test images the model classifies correctly and confidently from the original pixels. */
    let easy: number[];

    beforeAll(async () => {
      const X = toFloat01(flattenImages(sets.test.images));
      const proba = classifierOf(loaded).predictProba!(X);
      easy = [];
      for (let i = 0; i < TEST_SIZE && easy.length < 2; i++) {
        const label = sets.test.labels[i];
        if (proba.get(i, label) > 0.9) easy.push(i);
      }
      expect(easy.length).toBe(2);
      const pixels = (i: number) => sets.test.images.row(i).toTypedArray();
      files = {
        drawn: join(dir, 'drawn.png'),
        inverted: join(dir, 'inverted.jpg'),
        tiny: join(dir, 'tiny.png'),
        corrupt: join(dir, 'corrupt.png'),
        blank: join(dir, 'blank.png'),
      };
      await writeFile(files.drawn, drawnDigitPng(pixels(easy[0])));
      await writeFile(files.inverted, invertedDigitJpeg(pixels(easy[1])));
      await writeFile(files.tiny, tinyDigitPng(pixels(easy[0])));
      const png = drawnDigitPng(pixels(easy[0]));
      await writeFile(files.corrupt, png.subarray(0, png.length - 200));
      await writeFile(files.blank, drawnDigitPng(new Uint8Array(784)));
    });

    it('--json gives each file, in order, its label and the probability of each class', async () => {
      const order = [files.inverted, files.drawn, files.tiny];
      const result = await typedlearn(['predict', '--model', model, '--json', ...order]);
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout);
      expect(output.model).toBe(model);
      expect(output.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(output.answers).toBe('probabilities');
      const { predictions } = output;
      expect(predictions.map((p: { file: string }) => p.file)).toEqual(order);
      for (const { label, probabilities, scores } of predictions) {
        expect(scores).toBeNull();
        expect(probabilities).toHaveLength(10);
        expect(probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
        expect(probabilities.indexOf(Math.max(...probabilities))).toBe(label);
      }
      const [inverted, drawn] = predictions;
      expect(drawn.label).toBe(sets.test.labels[easy[0]]);
      expect(inverted.label).toBe(sets.test.labels[easy[1]]);
    });

    it('prints the label and the top 3 probabilities of each file', async () => {
      const result = await typedlearn(['predict', '--model', model, files.drawn]);
      expect(result.code).toBe(0);
      const label = sets.test.labels[easy[0]];
      expect(result.stdout).toMatch(
        new RegExp(
          `drawn.png: ${label}  \\(top 3: ${label} \\d+\\.\\d%, \\d \\d+\\.\\d%, \\d \\d+\\.\\d%\\)`,
        ),
      );
    });

    it('says which image is corrupt, blank or missing', async () => {
      const nope = join(dir, 'nope.png');
      const [corrupt, blank, missing] = await Promise.all(
        [[files.drawn, files.corrupt], [files.blank], [nope]].map((images) =>
          typedlearn(['predict', '--model', model, ...images]),
        ),
      );
      expect(corrupt.code).toBe(1);
      expect(corrupt.stderr).toContain(`${files.corrupt} is not a readable PNG image`);
      expect(blank.code).toBe(1);
      expect(blank.stderr).toContain(`${files.blank}: the image has no ink`);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`cannot read image ${nope}: no such file`);
    });

    it('answers every file of a folder of mixed files, in name order, then fails', async () => {
      const folder = join(dir, 'mixed');
      await mkdir(folder);
      const contents: [string, string][] = [
        ['a-good.png', files.drawn],
        ['b-blank.png', files.blank],
        ['c-corrupt.png', files.corrupt],
        ['e-good.jpg', files.inverted],
      ];
      for (const [name, source] of contents) await copyFile(source, join(folder, name));
      await writeFile(join(folder, 'd-notes.txt'), 'not a picture\n');
      await writeFile(join(folder, '.hidden.png'), 'skipped: a dot file\n');
      await mkdir(join(folder, 'z-subfolder'));

      const result = await typedlearn(['predict', '--model', model, '--json', folder]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: 3 of 5 files could not be read as images');
      const { predictions } = JSON.parse(result.stdout);
      expect(predictions.map((p: { file: string }) => p.file)).toEqual(
        ['a-good.png', 'b-blank.png', 'c-corrupt.png', 'd-notes.txt', 'e-good.jpg'].map((name) =>
          join(folder, name),
        ),
      );
      const [good, blank, corrupt, notes, jpeg] = predictions;
      expect(good.label).toBe(sets.test.labels[easy[0]]);
      expect(jpeg.label).toBe(sets.test.labels[easy[1]]);
      expect(blank).toEqual({
        file: blank.file,
        error: expect.stringMatching(/the image has no ink/),
      });
      expect(corrupt.error).toContain('is not a readable PNG image');
      expect(notes.error).toContain('is neither a PNG nor a JPEG image');

      // Without --json: answers on stdout, errors on stderr, still every file.
      const plain = await typedlearn(['predict', '--model', model, folder, join(dir, 'nope.png')]);
      expect(plain.code).toBe(1);
      expect(plain.stdout.trim().split('\n')).toHaveLength(2);
      expect(plain.stderr.match(/^error: /gm)).toHaveLength(5);
      expect(plain.stderr).toContain('error: 4 of 6 files could not be read as images');
    });

    it('--invert forces or forbids inverting the grey levels', async () => {
      const label = sets.test.labels[easy[0]];
      const invertedLabel = sets.test.labels[easy[1]];
      const run = async (file: string, invert: string) => {
        const result = await typedlearn([
          'predict',
          '--model',
          model,
          '--json',
          '--invert',
          invert,
          file,
        ]);
        return JSON.parse(result.stdout).predictions[0];
      };
      // drawn.png is dark ink on light paper; inverted.jpg light ink on dark.
      expect((await run(files.drawn, 'yes')).label).toBe(label);
      expect((await run(files.inverted, 'no')).label).toBe(invertedLabel);
      const wrong = await typedlearn([
        'predict',
        '--model',
        model,
        '--invert',
        'maybe',
        files.drawn,
      ]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('Allowed choices are auto, yes, no');
    });
  });

  it('predict --json gives decision scores, not probabilities, for an SVM without them', async () => {
    const plain = join(dir, 'models', 'svm-no-probability.safetensors');
    const trained = await typedlearn(
      words(`train --model svm --data ${data} --train-size 200 --out ${plain}`),
    );
    expect(trained.code).toBe(0);
    const image = join(dir, 'scores-digit.png');
    await writeFile(image, drawnDigitPng(sets.test.images.row(0).toTypedArray()));
    const result = await typedlearn(['predict', '--model', plain, '--json', image]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.answers).toBe('scores');
    const [{ label, probabilities, scores }] = output.predictions;
    expect(probabilities).toBeNull();
    expect(scores).toHaveLength(10);
    // One-vs-rest scores: votes won (0..9) plus a confidence within (-1/3, 1/3).
    expect(scores.indexOf(Math.max(...scores))).toBe(label);
    expect(Math.max(...scores)).toBeGreaterThan(8.6);

    const text = await typedlearn(['predict', '--model', plain, image]);
    expect(text.stdout).toMatch(
      /scores-digit.png: \d {2}\(top 3 scores, not probabilities: \d \d+\.\d\d, /,
    );
  });

  it('stops at once on Ctrl-C, leaving no model file', async () => {
    const out = join(dir, 'interrupted.safetensors');
    const result = await interruptedTypedlearn(
      words(`train --model forest --data ${data} --set nEstimators=100000 --out ${out}`),
      1,
    );
    expect(result.signal).toBe('SIGINT');
    expect(result.stderr).toMatch(/^train forest: tree 1\/100000$/m);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('interrupted'))).toEqual([]);
  });

  it('refuses an --out it cannot write before training', async () => {
    const file = join(dir, 'a-file.txt');
    await writeFile(file, 'in the way\n');
    const [folder, underFile] = await Promise.all(
      [dir, join(file, 'model.safetensors')].map((out) =>
        typedlearn(words(`train --model forest --data ${data} --out ${out}`)),
      ),
    );
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(
      `error: --out ${dir} is a folder; expected a file path such as`,
    );
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toMatch(
      /error: --out .*a-file.txt\/model.safetensors cannot be written: .*(ENOTDIR|EEXIST)/,
    );
    for (const result of [folder, underFile]) expect(result.stderr).not.toContain('train forest:');
  });

  it('refuses missing, truncated and hostile model files, naming them', async () => {
    const bytes = await readFile(model);
    const truncated = join(dir, 'truncated.safetensors');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 10));
    const hostile = join(dir, 'hostile.safetensors');
    const header = new TextEncoder().encode(
      '{"model.w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,8]}}',
    );
    const file = new Uint8Array(8 + header.length + 8);
    file[0] = header.length;
    file.set(header, 8);
    await writeFile(hostile, file);

    const cases = [
      [join(dir, 'missing.safetensors'), 'no such file'],
      [truncated, 'is not a valid safetensors file: tensor'],
      [hostile, "is not a valid safetensors file: tensor 'model.w' has shape [1000000, 1000000]"],
    ];
    const results = await Promise.all(
      cases.map(([path]) => typedlearn(['evaluate', '--model', path, '--data', data])),
    );
    results.forEach((result, i) => {
      const [path, message] = cases[i];
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(path);
      expect(result.stderr).toContain(message);
    });
  });
});

describe('train with preprocessing', () => {
  it('saves a pipeline whose preprocessing predict and evaluate apply', async () => {
    const model = join(dir, 'pipeline.safetensors');
    const trained = await typedlearn(
      words(
        `train --model svm --data ${data} --train-size 300 --preprocess deskew,pca=20 --out ${model}`,
      ),
    );
    expect(trained.code).toBe(0);
    expect(trained.stderr).toContain('preprocessing: deskew, pca');
    const loaded = await loadModel(model);
    expect(classifierOf(loaded).nFeatures).toBe(20);

    const evaluated = await typedlearn(['evaluate', '--model', model, '--data', data, '--json']);
    expect(evaluated.code).toBe(0);
    const X = toFloat01(flattenImages(sets.test.images));
    expect(JSON.parse(evaluated.stdout).accuracy).toBeCloseTo(
      accuracy(sets.test.labels, loaded.predict(X)),
      12,
    );
  });
});

describe('compare (the main job) on a small subset', () => {
  it('compares the candidates, picks on validation, refits the best and reports', async () => {
    const cwd = join(dir, 'compare');
    await writeSmallMnist(join(cwd, 'data'), 300, 60);
    const result = await typedlearn(
      words('compare --data data --train-size 300 --test-size 60 --threads 1'),
      [],
      cwd,
    );
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    // Each candidate is fitted on 270 images; 30 are held out to choose the best.
    const validation = new Map<string, number>();
    for (const name of ['softmax', 'svm', 'forest', 'mlp', 'cnn']) {
      const row = new RegExp(
        `│ ${name}\\s+│\\s+270 images │\\s+(\\d+\\.\\d\\d)% │\\s+\\d+\\.\\d\\d% │`,
      ).exec(result.stdout);
      expect(row, name).not.toBeNull();
      validation.set(name, Number(row![1]));
    }
    expect(result.stdout).toMatch(/│ svm .*│ deskew -> pca=80 -> svm C=10 gamma=0.0389/);
    const best =
      /Best on the validation split: (\w+) \(\d+\.\d\d%\); (\d+\.\d\d)% on the 60 test images/.exec(
        result.stdout,
      );
    expect(best).not.toBeNull();
    expect(validation.get(best![1])).toBe(Math.max(...validation.values()));
    expect(result.stdout).toMatch(/precision\s+recall\s+f1-score\s+support/);
    expect(result.stdout).toContain('Confusion matrix');

    const bestPath = join(cwd, 'models', 'best.safetensors');
    const saved = classifierOf(await loadModel(bestPath));
    expect(saved.modelType).toBe(best![1]);
    // What the model was trained and tested on is recorded in the file (typedlearn serve reports it).
    const { info } = saved.toState();
    expect(((info.testAccuracy as number) * 100).toFixed(2)).toBe(best![2]);
    expect(info).toMatchObject({ dataset: 'data', trainRows: 270, testRows: 60 });
    expect(((info.validationAccuracy as number) * 100).toFixed(2)).toBe(
      validation.get(best![1])!.toFixed(2),
    );

    const html = await readFile(join(cwd, 'reports', 'mnist', 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(?!data:|#)/); // nothing to fetch: works offline
    for (const id of [
      'sample-digits',
      'class-distribution',
      'confusion-matrix',
      'per-class-f1',
      'learning-curves',
      'feature-importances',
      'softmax-weights',
      'misclassified',
    ]) {
      const section = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
      expect(section, id).not.toBeNull();
      expect(section![1], id).toMatch(
        /<img src="data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/]+=*"/,
      );
    }
  });

  it('--models picks the candidates and --out-dir where everything goes', async () => {
    const cwd = join(dir, 'compare-some');
    await writeSmallMnist(join(cwd, 'data'), 200, 40);
    const result = await typedlearn(
      words(
        'compare --data data --train-size 200 --test-size 40 --models forest,softmax --out-dir out',
      ),
      [],
      cwd,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('comparing softmax, forest:');
    expect(result.stdout).not.toMatch(/│ (svm|mlp) /);
    expect(existsSync(join(cwd, 'out', 'models', 'best.safetensors'))).toBe(true);
    expect(existsSync(join(cwd, 'out', 'reports', 'mnist', 'index.html'))).toBe(true);
    expect(existsSync(join(cwd, 'models'))).toBe(false);

    const unknown = await typedlearn(words('compare --models forest,knn'), [], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "Unknown model 'knn': expected a comma-separated list of softmax, forest, mlp, svm, cnn",
    );
  });
});
