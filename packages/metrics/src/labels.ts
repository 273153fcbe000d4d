import { ShapeError, ValueError } from '@typedlearn/tensor';
import { sortedClasses, type Label } from './label-encoder.js';

/**
 * Class labels, one per sample, all of one type: integers (`Int32Array`, `number[]`, ...),
 * strings or booleans.
 */
export type LabelArray = ArrayLike<Label>;

/**
 * Two label arrays mapped onto one ordered list of classes: `trueIndex[i]` and `predIndex[i]`
 * are positions in `classes`, so they index the rows and columns of a confusion matrix.
 */
export interface EncodedLabels {
  readonly classes: readonly Label[];
  readonly trueIndex: Int32Array;
  readonly predIndex: Int32Array;
  /** True when `classes` came from the caller rather than from the labels seen. */
  readonly classesGiven: boolean;
}

/**
 * Throws unless `labels` holds at least one value and its values are labels of one type:
 * integers, strings or booleans (a fractional number is a continuous target, not a class).
 */
export function checkLabels(labels: LabelArray, name: string): void {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new ValueError(`${name} must be an array of class labels, got ${String(labels)}`);
  }
  if (labels.length === 0) {
    throw new ShapeError(`${name} is empty: expected at least one label`);
  }
  sortedClasses(labels, name);
  for (let i = 0; i < labels.length; i++) {
    const value = labels[i];
    if (typeof value === 'number' && !Number.isInteger(value)) {
      throw new ValueError(`${name}[${i}] is ${value}: expected an integer class label`);
    }
  }
}

/** Throws a {@link ShapeError} unless both arrays hold one entry per sample. */
export function checkSameLength(
  first: ArrayLike<unknown>,
  firstName: string,
  second: ArrayLike<unknown>,
  secondName: string,
): void {
  if (first.length !== second.length) {
    throw new ShapeError(
      `${firstName} has ${first.length} entries but ${secondName} has ${second.length}: ` +
        'expected one entry per sample in both',
    );
  }
}

/**
 * Throws unless `yTrue` and `yPred` are label arrays ({@link checkLabels}) of one length and
 * one type of label.
 */
export function checkLabelPair(yTrue: LabelArray, yPred: LabelArray): void {
  checkLabels(yTrue, 'yTrue');
  checkLabels(yPred, 'yPred');
  checkSameLength(yTrue, 'yTrue', yPred, 'yPred');
  if (typeof yTrue[0] !== typeof yPred[0]) {
    throw new ValueError(
      `yTrue holds ${typeof yTrue[0]} labels but yPred holds ${typeof yPred[0]} ones: expected labels of one type in both`,
    );
  }
}

/**
 * Validates a pair of label arrays and maps both onto a common class list.
 *
 * Without `labels` the classes are the sorted union of the values in both arrays, as
 * scikit-learn's `unique_labels` finds them. With `labels` the classes are exactly those,
 * in the given order (so a class that never occurs still gets its row and column); a
 * sample whose label is not among them is an error, never silently dropped.
 */
export function encodeLabelPair(
  yTrue: LabelArray,
  yPred: LabelArray,
  labels?: LabelArray,
): EncodedLabels {
  checkLabelPair(yTrue, yPred);
  const classes = labels === undefined ? sortedUnion(yTrue, yPred) : checkClassList(labels);
  const position = new Map<Label, number>();
  classes.forEach((label, index) => position.set(label, index));
  return {
    classes,
    trueIndex: indexOf(yTrue, 'yTrue', position, classes),
    predIndex: indexOf(yPred, 'yPred', position, classes),
    classesGiven: labels !== undefined,
  };
}

/** The sorted distinct values of both arrays (which must hold labels of one type). */
export function sortedUnion(first: LabelArray, second: LabelArray): Label[] {
  return sortedClasses([...Array.from(first), ...Array.from(second)], 'yTrue and yPred');
}

function checkClassList(labels: LabelArray): Label[] {
  checkLabels(labels, 'labels');
  const classes = Array.from(labels);
  if (new Set(classes).size !== classes.length) {
    throw new ValueError(`labels [${classes.join(', ')}] must not repeat a class`);
  }
  return classes;
}

function indexOf(
  y: LabelArray,
  name: string,
  position: ReadonlyMap<Label, number>,
  classes: readonly Label[],
): Int32Array {
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const index = position.get(y[i]);
    if (index === undefined) {
      throw new ValueError(
        `${name}[${i}] is ${JSON.stringify(y[i])}, which is not one of the labels [${classes.join(', ')}]`,
      );
    }
    out[i] = index;
  }
  return out;
}
