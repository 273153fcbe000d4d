import { describe, expect, it } from 'vitest';
import { peersSection } from '../src/peers/markdown.js';
import type { PeerResults } from '../src/peers/results.js';
import { CONVNET_ARCHITECTURE, comparisons, type PeerSettings } from '../src/peers/runs.js';
import { compare, convNetTargets, summarizeRun, type RunSummary } from '../src/peers/summary.js';

const settings: PeerSettings = {
  nTrain: 10000,
  nTest: 2000,
  seed: 0,
  dataDir: '/mnist',
  epochs: 10,
  trees: 100,
  mlForestTrain: 1000,
  mlForestTrees: 10,
  cnnEpochs: 1,
  cnnTrain: 5000,
  cnnTest: 10000,
};

describe('bench:peers convnet comparisons', () => {
  const plan = comparisons(['convnet'], settings);

  it('pairs typedlearn (wasm-simd and js) with ConvNetJS, tfjs-cpu and tfjs-wasm', () => {
    expect(plan.map((c) => [c.typedlearn.key, c.peer.key])).toEqual([
      ['typedlearn/convnet', 'convnetjs/convnet'],
      ['typedlearn/convnet', 'tfjs-cpu/convnet'],
      ['typedlearn/convnet', 'tfjs-wasm/convnet'],
      ['typedlearn/convnet-js', 'convnetjs/convnet'],
      ['typedlearn/convnet-js', 'tfjs-cpu/convnet'],
    ]);
    expect(plan.every((c) => c.family === 'convnet')).toBe(true);
    expect(comparisons(['softmax', 'mlp'], settings).some((c) => c.family === 'convnet')).toBe(
      false,
    );
  });

  it('gives every side the same network, optimiser and sizes', () => {
    for (const { typedlearn, peer } of plan) {
      const { backend, ...shared } = typedlearn.params;
      expect(['wasm-simd', 'js']).toContain(backend);
      expect(peer.params).toEqual(shared);
      expect(shared).toMatchObject({
        ...CONVNET_ARCHITECTURE,
        epochs: 1,
        batchSize: 64,
        learningRate: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
      });
      for (const run of [typedlearn, peer]) {
        expect([run.nTrain, run.nTest, run.seed]).toEqual([5000, 10000, 0]);
      }
    }
    expect(CONVNET_ARCHITECTURE).toMatchObject({ filters: [8, 16], kernelSize: 5, poolSize: 2 });
  });

  it('measures tfjs-wasm in the tfjs-cpu run, for the prediction only', () => {
    const wasm = plan.find((c) => c.peer.impl === 'tfjs-wasm')!;
    const cpu = plan.find((c) => c.peer.impl === 'tfjs-cpu')!.peer;
    expect(wasm.predictOnly).toBe(true);
    expect(wasm.peer.measuredBy).toEqual(cpu);
    expect(cpu.alsoMeasures).toBe(wasm.peer.key);
    expect(plan.filter((c) => c.predictOnly)).toHaveLength(1);
  });

  it('reports the prediction ratio and issue 24 targets, without fit or memory for tfjs-wasm', () => {
    const summaries = new Map<string, RunSummary>();
    const add = (key: string, fit: number | undefined, predict: number, accuracy: number) => {
      const spec = plan.flatMap((c) => [c.typedlearn, c.peer]).find((s) => s.key === key)!;
      const rss = fit === undefined ? undefined : 200;
      summaries.set(
        key,
        summarizeRun(spec, [
          { key, fitSeconds: fit, predictSeconds: predict, accuracy, peakRssMB: rss },
        ]),
      );
    };
    add('typedlearn/convnet', 1, 0.5, 0.95);
    add('typedlearn/convnet-js', 3, 1.5, 0.95);
    add('convnetjs/convnet', 40, 4, 0.94);
    add('tfjs-cpu/convnet', 265, 20, 0.93);
    add('tfjs-wasm/convnet', undefined, 2, 0.93);
    const rows = plan.map((c) => compare(c, summaries, new Map()));
    const wasmRow = rows.find((r) => r.peer === 'tfjs-wasm')!;
    expect(wasmRow).toMatchObject({ predictOnly: true, predictRatio: 0.25 });
    expect(wasmRow.fitRatio).toBeUndefined();
    expect(wasmRow.memoryRatio).toBeUndefined();
    expect(wasmRow.accuracyDifference).toBeCloseTo(2);

    expect(convNetTargets(rows)).toEqual([
      { what: 'training epoch time', peer: 'convnetjs', limit: 0.05, ratio: 1 / 40, met: true },
      { what: 'training epoch time', peer: 'tfjs-cpu', limit: 0.01, ratio: 1 / 265, met: true },
      { what: 'prediction time', peer: 'tfjs-wasm', limit: 0.5, ratio: 0.25, met: true },
    ]);

    const results: PeerResults = {
      date: '2026-01-01',
      command: 'pnpm bench:peers --models convnet',
      settings: { ...settings, repeats: 1 },
      machine: {
        cpus: 2,
        cpuModel: 'test',
        memoryGB: 8,
        node: 'v20',
        python: 'none',
        loadBefore: ['0', '0', '0'],
        loadAfter: ['0', '0', '0'],
      },
      comparisons: rows,
    };
    const section = peersSection(results, { ratios: 'r.svg', accuracy: 'a.svg' });
    expect(section).toContain(
      "| Convnet 8c5-p2-16c5-p2-10, prediction of 10000 digits (tfjs-cpu's weights) | tfjs-wasm | n/a | 0.25x | n/a | +2.00 pp |",
    );
    expect(section).toContain('| prediction time | tfjs-wasm | 0.250x | <= 0.5x | met |');
    expect(section).toContain(
      "| tfjs-wasm/convnet | tfjs-wasm predict with tfjs-cpu's weights | 5000 / 10000 | - | 2.00 | - | 93.00% | 1 |",
    );
  });

  it('skips tfjs-wasm when the tfjs-cpu run that measures it failed', () => {
    const failures = new Map([['tfjs-wasm/convnet', 'tfjs-cpu/convnet exceeded the timeout']]);
    const wasm = plan.find((c) => c.peer.impl === 'tfjs-wasm')!;
    const mine = summarizeRun(wasm.typedlearn, [
      {
        key: wasm.typedlearn.key,
        fitSeconds: 1,
        predictSeconds: 0.5,
        accuracy: 0.95,
        peakRssMB: 200,
      },
    ]);
    const row = compare(wasm, new Map([[mine.key, mine]]), failures);
    expect(row.skipped).toBe('tfjs-cpu/convnet exceeded the timeout');
    expect(row.predictRatio).toBeUndefined();
  });
});
