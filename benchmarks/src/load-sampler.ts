// The machine's load while a benchmark runs, not only before and after it. The benchmarks
// run their children with spawnSync, which blocks this process's event loop, so the samples
// are taken by a small separate process that appends the 1-minute load average to a file
// once a second; `stop` ends it and reads them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './median.js';

/** What the samples say: their median and maximum, and how many there were. */
export interface LoadSummary {
  median: number;
  max: number;
  samples: number;
}

const SAMPLER = `
const { appendFileSync } = require('node:fs');
const { loadavg } = require('node:os');
const file = process.argv[1];
const sample = () => appendFileSync(file, loadavg()[0].toFixed(2) + '\\n');
sample();
setInterval(sample, 1000);
`;

/** Starts sampling the 1-minute load average every second; `stop()` returns the summary. */
export function startLoadSampler(): { stop(): LoadSummary } {
  const dir = mkdtempSync(join(tmpdir(), 'typedlearn-load-'));
  const file = join(dir, 'load.txt');
  const sampler = spawn(process.execPath, ['-e', SAMPLER, file], { stdio: 'ignore' });
  return {
    stop() {
      sampler.kill();
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // no sample yet: the run was shorter than the sampler's start-up
      }
      rmSync(dir, { recursive: true, force: true });
      const values = text.split('\n').filter(Boolean).map(Number);
      return values.length === 0
        ? { median: NaN, max: NaN, samples: 0 }
        : { median: median(values), max: Math.max(...values), samples: values.length };
    },
  };
}

/** `load average during the runs: median 1.02, max 1.31 (240 samples, 1 a second)`. */
export function describeLoad(load: LoadSummary): string {
  return load.samples === 0
    ? 'load average during the runs: not sampled'
    : `load average during the runs: median ${load.median.toFixed(2)}, max ${load.max.toFixed(2)} (${load.samples} samples, 1 a second)`;
}
