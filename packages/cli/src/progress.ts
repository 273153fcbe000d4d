import cliProgress from 'cli-progress';
import type { FitProgress } from '@typedlearn/classifiers';

/** One long step being counted, e.g. 10 epochs of training. */
export interface ProgressTask {
  /** `step` of the task's total units are done; `detail` is shown beside the count (a loss, say). */
  update(step: number, detail?: string): void;
  /** The task is over; `summary` (a duration, an accuracy) closes its line. */
  finish(summary?: string): void;
}

/** Where the CLI reports progress. Progress goes to stderr, so stdout stays clean for results. */
export interface Progress {
  /** Starts counting `total` units (`unit` names them: 'epoch', 'tree', ...). */
  start(label: string, total: number, unit: string): ProgressTask;
}

/**
 * Progress bars (cli-progress) when a person is watching, that is when stdout and stderr are
 * terminals and `CI` is not set; otherwise plain lines, one per tenth of the work, which read
 * well in CI logs and in files.
 */
export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  interactive = Boolean(process.stdout.isTTY && stream.isTTY && !process.env.CI),
): Progress {
  return interactive ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number, unit: string): ProgressTask {
    const bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `${label} [{bar}] {value}/{total} ${unit}s {detail} | {duration_formatted}, ETA {eta_formatted}`,
        // The cursor stays visible: Ctrl-C ends the process at once, with no chance to restore it.
        hideCursor: false,
        barsize: 30,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      update: (step, detail = '') => bar.update(step, { detail }),
      finish: (summary = '') => {
        bar.update(total, { detail: summary });
        bar.stop();
      },
    };
  }
}

class LineProgress implements Progress {
  constructor(private readonly stream: NodeJS.WritableStream) {}

  start(label: string, total: number, unit: string): ProgressTask {
    const started = performance.now();
    let lastTenth = -1;
    const write = (line: string) => this.stream.write(`${line}\n`);
    return {
      update: (step, detail = '') => {
        const tenth = total > 0 ? Math.floor((10 * step) / total) : 10;
        if (tenth <= lastTenth) return;
        lastTenth = tenth;
        write(`${label}: ${unit} ${step}/${total}${detail ? ` ${detail}` : ''}`);
      },
      finish: (summary = '') => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        write(`${label}: done in ${seconds} s${summary ? `, ${summary}` : ''}`);
      },
    };
  }
}

/**
 * An `onProgress` callback for `fit` that shows each stage of training as its own task
 * (a model may report, say, 'pair' steps and then 'probability' steps), with the loss and
 * accuracies it knows. Call `finish` when `fit` has returned.
 */
export function fitProgress(
  progress: Progress,
  label: string,
): { onProgress: (report: FitProgress) => void; finish: (summary?: string) => void } {
  let current: { stage: string; total: number; task: ProgressTask } | undefined;
  return {
    onProgress: (report) => {
      if (
        current === undefined ||
        current.stage !== report.stage ||
        current.total !== report.total
      ) {
        current?.task.finish();
        const task = progress.start(label, report.total, report.stage);
        current = { stage: report.stage, total: report.total, task };
      }
      current.task.update(report.step, describeFitProgress(report));
    },
    finish: (summary) => {
      current?.task.finish(summary);
      current = undefined;
    },
  };
}

function describeFitProgress({ loss, trainAccuracy, validationAccuracy }: FitProgress): string {
  const parts: string[] = [];
  if (loss !== undefined) parts.push(`loss ${loss.toFixed(4)}`);
  if (trainAccuracy !== undefined) parts.push(`train ${(100 * trainAccuracy).toFixed(2)}%`);
  if (validationAccuracy !== undefined) {
    parts.push(`validation ${(100 * validationAccuracy).toFixed(2)}%`);
  }
  return parts.join(', ');
}
