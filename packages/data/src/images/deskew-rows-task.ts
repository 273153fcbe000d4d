import { defineTask } from '@typedlearn/tensor';
import { deskewRows, type ImageSize } from './deskew.js';

/** A share of the images for a pool thread: both matrices in shared memory. */
export interface DeskewRowsInput {
  source: Float32Array;
  target: Float32Array;
  first: number;
  end: number;
  size: ImageSize;
}

/** The pool task of `Deskew` on several threads: {@link deskewRows} of one share. */
export function deskewRowsTask({ source, target, first, end, size }: DeskewRowsInput): void {
  deskewRows(source, target, first, end, size);
}

export const DESKEW_ROWS = defineTask(
  new URL('./deskew-rows-task.js', import.meta.url),
  'deskewRowsTask',
);
