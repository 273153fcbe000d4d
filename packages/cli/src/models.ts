import { createModel as createRegisteredModel, type Classifier } from '@typedlearn/classifiers';
import { ValueError } from '@typedlearn/tensor';
import { UsageError } from './usage-error.js';

/**
 * A new unfitted classifier of a registered model type (`--model`), with `params` from
 * `--set key=value`. A hyper-parameter the model does not have, or a value out of range, is a
 * {@link UsageError}.
 */
export function createModel(name: string, params: Record<string, unknown>): Classifier {
  try {
    return createRegisteredModel(name, params);
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`--set for ${name}: ${error.message}`);
    throw error;
  }
}
