import { FormatError } from '@typedlearn/tensor';
import { Deskew } from './deskew-transform.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { PCA } from './pca.js';
import { StandardScaler } from './standard-scaler.js';
import type { Transformer, TransformState } from './transformer.js';

const RESTORERS: Record<string, (state: TransformState) => Transformer> = {
  'min-max-scaler': MinMaxScaler.fromState,
  'standard-scaler': StandardScaler.fromState,
  pca: PCA.fromState,
  deskew: Deskew.fromState,
};

/**
 * Restores any built-in transform from its `toState()` output, dispatching on
 * `state.transformType`; an unknown type is a FormatError listing the known ones.
 */
export function transformFromState(state: TransformState): Transformer {
  const restore = RESTORERS[state?.transformType];
  if (restore === undefined) {
    throw new FormatError(
      `unknown transform type '${String(state?.transformType)}': expected one of ${Object.keys(RESTORERS).join(', ')}`,
    );
  }
  return restore(state);
}
