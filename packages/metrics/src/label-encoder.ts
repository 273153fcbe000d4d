import { NotFittedError, ValueError } from '@typedlearn/tensor';

/** A class label: a number, a string or a boolean. */
export type Label = number | string | boolean;

/**
 * The distinct values of `labels`, sorted as scikit-learn's `np.unique` sorts them: numbers
 * ascending, strings by code unit, `false` before `true`. Labels must all be of one type
 * (mixing `1` and `'1'` is almost always a bug); NaN is refused. `name` prefixes errors.
 */
export function sortedClasses<L extends Label>(labels: ArrayLike<L>, name = 'y'): L[] {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new ValueError(`${name} must be an array of labels, got ${String(labels)}`);
  }
  const type = labels.length === 0 ? undefined : typeof labels[0];
  const seen = new Set<L>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== type || !(type === 'number' || type === 'string' || type === 'boolean')) {
      throw new ValueError(
        `${name}[${i}] is ${JSON.stringify(label)} (${typeof label}), but ${name}[0] is a ${type}: ` +
          'expected labels of one type, numbers, strings or booleans',
      );
    }
    if (type === 'number' && Number.isNaN(label)) {
      throw new ValueError(`${name}[${i}] is NaN: expected a label`);
    }
    seen.add(label);
  }
  const classes = [...seen];
  return type === 'number'
    ? classes.sort((a, b) => (a as number) - (b as number))
    : classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Labels of any one type as class indices 0..k-1 and back (scikit-learn's `LabelEncoder`):
 * `fit` learns the sorted classes, `transform` maps labels to their indices, and
 * `inverseTransform` maps indices back to labels.
 *
 * ```ts
 * const encoder = new LabelEncoder().fit(['setosa', 'virginica', 'setosa', 'versicolor']);
 * encoder.classes; // ['setosa', 'versicolor', 'virginica']
 * encoder.transform(['virginica', 'setosa']); // Int32Array [2, 0]
 * encoder.inverseTransform([1]); // ['versicolor']
 * ```
 */
export class LabelEncoder<L extends Label = Label> {
  #classes: L[] | undefined;
  #indexOf: Map<L, number> | undefined;

  /** Learns the classes: the distinct labels, sorted. */
  fit(labels: ArrayLike<L>): this {
    const classes = sortedClasses(labels, 'labels');
    this.#classes = classes;
    this.#indexOf = new Map(classes.map((label, index) => [label, index]));
    return this;
  }

  /** The classes in the order of their indices. Throws `NotFittedError` before `fit`. */
  get classes(): readonly L[] {
    return this.fitted().classes;
  }

  /** The index of each label; a label not seen in `fit` is a `ValueError` naming it. */
  transform(labels: ArrayLike<L>): Int32Array {
    const { indexOf, classes } = this.fitted();
    const out = new Int32Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const index = indexOf.get(labels[i]);
      if (index === undefined) {
        throw new ValueError(
          `labels[${i}] is ${JSON.stringify(labels[i])}, which was not seen in fit: expected one of ${classes
            .map((c) => JSON.stringify(c))
            .join(', ')}`,
        );
      }
      out[i] = index;
    }
    return out;
  }

  /** {@link fit} then {@link transform} on the same labels. */
  fitTransform(labels: ArrayLike<L>): Int32Array {
    return this.fit(labels).transform(labels);
  }

  /** The label of each index; an index outside 0..k-1 is a `ValueError` naming it. */
  inverseTransform(indices: ArrayLike<number>): L[] {
    const { classes } = this.fitted();
    return Array.from({ length: indices.length }, (_, i) => {
      const index = indices[i];
      if (!Number.isInteger(index) || index < 0 || index >= classes.length) {
        throw new ValueError(
          `indices[${i}] is ${index}: expected a class index from 0 to ${classes.length - 1}`,
        );
      }
      return classes[index];
    });
  }

  private fitted(): { classes: L[]; indexOf: Map<L, number> } {
    if (this.#classes === undefined || this.#indexOf === undefined) {
      throw new NotFittedError('This LabelEncoder is not fitted yet: call fit(labels) first');
    }
    return { classes: this.#classes, indexOf: this.#indexOf };
  }
}
