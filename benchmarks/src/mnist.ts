// `pnpm bench:mnist`: trains and evaluates classifiers on an MNIST-format dataset, one child
// process per run (so peak memory belongs to that run alone), and reports one row per run as a
// table (and optionally JSON), with progress while each model trains. The contract, flags and
// row format are in benchmarks/README.md:
//
//   pnpm bench:mnist --models softmax,mlp --threads 2 --set mlp.epochs=10 --json out.json
//
// The child reports progress and its row as JSON lines on file descriptor 3, written
// synchronously, so nothing is lost or delayed while it trains.
import { spawn } from 'node:child_process';
import { writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { encodeModel, type FitProgress } from '@typedlearn/classifiers';
import { flattenImages, toFloat01, type ImageSet } from '@typedlearn/data';
import { loadIdxDataset, loadMnist } from '@typedlearn/data/node';
import { MNIST_MODELS } from './mnist-models.js';

/** One run's result, as benchmarks/README.md specifies. */
interface Row {
  model: string;
  params: Record<string, unknown>;
  dataset: string;
  nTrain: number;
  nTest: number;
  threads: number;
  seed: number;
  accuracy: number;
  fitSeconds: number;
  predictSeconds: number;
  peakRssMB: number;
  modelBytes: number;
}

/** What the parent asks one child to do. */
interface RunSpec {
  model: string;
  overrides: Record<string, unknown>;
  data: string | undefined;
  trainSize: number | undefined;
  testSize: number | undefined;
  threads: number;
  seed: number;
}

type ChildMessage = { progress: FitProgress } | { row: Row } | { error: string };

const MESSAGE_FD = 3;
const USAGE = `usage: pnpm bench:mnist [--models ${Object.keys(MNIST_MODELS).join(',')}] [--train-size N] [--test-size N]
                        [--threads T] [--seed S] [--data DIR] [--set model.key=value ...] [--json FILE]`;

// ---------------------------------------------------------------------------------------------
// Child: one model, one fit, one row.

async function runChild(spec: RunSpec): Promise<void> {
  const send = (message: ChildMessage) => writeSync(MESSAGE_FD, `${JSON.stringify(message)}\n`);
  try {
    const { train, test } = loadFeatures(spec);
    const model = MNIST_MODELS[spec.model](spec.overrides);

    const fitStart = performance.now();
    await model.fit(train.X, train.y, {
      threads: spec.threads,
      seed: spec.seed,
      onProgress: (progress) => send({ progress }),
    });
    const fitSeconds = (performance.now() - fitStart) / 1000;

    const predictStart = performance.now();
    const predicted = model.predict(test.X);
    const predictSeconds = (performance.now() - predictStart) / 1000;
    let correct = 0;
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === test.y[i]) correct++;

    send({
      row: {
        model: spec.model,
        params: { ...model.params },
        dataset: spec.data === undefined ? 'mnist' : basename(spec.data),
        nTrain: train.y.length,
        nTest: test.y.length,
        threads: spec.threads,
        seed: spec.seed,
        accuracy: correct / test.y.length,
        fitSeconds,
        predictSeconds,
        // maxRSS is in KiB: the peak resident set of this child alone, in MB (10^6 bytes) as
        // the scikit-learn scripts report it.
        peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
        // The size of the model file (safetensors) that saveModel would write.
        modelBytes: encodeModel(model.toState()).byteLength,
      },
    });
  } catch (error) {
    send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
}

/**
 * The training and test features of the run. Only the float matrices and copies of the labels
 * outlive this function, so the raw image bytes can be collected before the fit, as the
 * scikit-learn scripts drop theirs (they would otherwise count in the peak RSS).
 */
function loadFeatures(spec: RunSpec) {
  const data = spec.data === undefined ? loadMnist() : loadIdxDataset(spec.data);
  return {
    train: features(data.train, spec.trainSize),
    test: features(data.test, spec.testSize),
  };
}

/** The first `size` images of a set as a float matrix in [0, 1], and their labels (a copy). */
function features(set: ImageSet, size: number | undefined) {
  const rows = Math.min(size ?? set.labels.length, set.labels.length);
  return {
    X: toFloat01(flattenImages(set.images).slice(0, rows)),
    y: set.labels.slice(0, rows),
  };
}

// ---------------------------------------------------------------------------------------------
// Parent: parse flags, run each model in its own child, show progress, print the table.

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      threads: { type: 'string', default: '1' },
      seed: { type: 'string', default: '0' },
      data: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      json: { type: 'string' },
      child: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.child !== undefined) return runChild(JSON.parse(values.child) as RunSpec);
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const models = values.models?.split(',').map((name) => name.trim()) ?? Object.keys(MNIST_MODELS);
  for (const name of models) {
    if (!(name in MNIST_MODELS)) {
      throw new Error(`unknown model '${name}'; known: ${Object.keys(MNIST_MODELS).join(', ')}`);
    }
  }
  const overrides = parseOverrides(values.set ?? [], models);
  const base = {
    data: values.data,
    trainSize: optionalCount(values['train-size'], '--train-size'),
    testSize: optionalCount(values['test-size'], '--test-size'),
    threads: count(values.threads as string, '--threads'),
    seed: count(values.seed as string, '--seed', 0),
  };

  const rows: Row[] = [];
  let failures = 0;
  for (const model of models) {
    const result = await runInChild({ ...base, model, overrides: overrides[model] ?? {} });
    if ('row' in result) {
      rows.push(result.row);
    } else {
      failures++;
      console.error(`${model} failed:\n${result.error}`);
    }
  }
  console.log(formatTable(rows));
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
  if (failures > 0) process.exitCode = 1;
}

/** Runs one spec in a child process, showing its progress; resolves to its row or error. */
function runInChild(spec: RunSpec): Promise<{ row: Row } | { error: string }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1], '--child', JSON.stringify(spec)],
    { stdio: ['ignore', 'inherit', 'inherit', 'pipe'] },
  );
  const progress = createProgress(spec.model);
  let outcome: { row: Row } | { error: string } | undefined;
  const lines = createInterface({ input: child.stdio[MESSAGE_FD] as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    const message = JSON.parse(line) as ChildMessage;
    if ('progress' in message) progress.update(message.progress);
    else outcome = message;
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      progress.stop();
      resolve(outcome ?? { error: `child exited with ${signal ?? `code ${code}`} and no result` });
    });
  });
}

interface ProgressView {
  update(progress: FitProgress): void;
  stop(): void;
}

/** A cli-progress bar on a terminal; otherwise one plain line per tenth of the work. */
function createProgress(model: string): ProgressView {
  const detail = (p: FitProgress) =>
    [
      p.loss === undefined ? '' : `loss ${p.loss.toFixed(4)}`,
      p.trainAccuracy === undefined ? '' : `train ${(100 * p.trainAccuracy).toFixed(2)}%`,
      p.validationAccuracy === undefined ? '' : `val ${(100 * p.validationAccuracy).toFixed(2)}%`,
    ]
      .filter(Boolean)
      .join(', ');
  if (process.stderr.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${model.padEnd(8)} [{bar}] {value}/{total} {stage}s  {detail}  {duration_formatted}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        if (!started) {
          bar.start(p.total, 0, { stage: p.stage, detail: '' });
          started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.step, { stage: p.stage, detail: detail(p) });
      },
      stop: () => started && bar.stop(),
    };
  }
  const start = performance.now();
  let lastTenth = -1;
  return {
    update(p) {
      const tenth = Math.floor((10 * p.step) / p.total);
      if (tenth === lastTenth && p.step !== p.total) return;
      lastTenth = tenth;
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      console.error(`${model}: ${p.stage} ${p.step}/${p.total} ${detail(p)} (${seconds} s)`);
    },
    stop() {},
  };
}

/** `--set model.key=value` flags by model; values are JSON when they parse, strings otherwise. */
function parseOverrides(
  flags: string[],
  models: string[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const flag of flags) {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/.exec(flag);
    if (match === null) throw new Error(`--set expects model.key=value, got '${flag}'`);
    const [, model, key, raw] = match;
    if (!models.includes(model)) {
      throw new Error(
        `--set ${flag}: '${model}' is not among the models run (${models.join(', ')})`,
      );
    }
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: keep the string, e.g. --set svm.gamma=scale.
    }
    (out[model] ??= {})[key] = value;
  }
  return out;
}

function count(text: string, flag: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${flag} must be an integer >= ${min}, got '${text}'`);
  }
  return value;
}

function optionalCount(text: string | undefined, flag: string): number | undefined {
  return text === undefined ? undefined : count(text, flag);
}

function formatTable(rows: Row[]): string {
  const header = [
    'model',
    'nTrain',
    'nTest',
    'threads',
    'accuracy',
    'fit s',
    'predict s',
    'peak RSS MB',
    'model MB',
  ];
  const body = rows.map((r) => [
    r.model,
    String(r.nTrain),
    String(r.nTest),
    String(r.threads),
    `${(100 * r.accuracy).toFixed(2)}%`,
    r.fitSeconds.toFixed(2),
    r.predictSeconds.toFixed(3),
    r.peakRssMB.toFixed(0),
    (r.modelBytes / 1e6).toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((line) => line[c].length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(format)].join(
    '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
