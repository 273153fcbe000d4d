import { Deskew, PCA, StandardScaler, type Transformer } from '@typedlearn/data';
import type { PreprocessStep } from './option-values.js';
import type { PreprocessName } from './preprocess-steps.js';

/** What each `--preprocess` step builds, from its value (`pca=50` gives 50). */
const TRANSFORMS: Record<PreprocessName, (value?: number) => Transformer> = {
  deskew: () => new Deskew(),
  standardize: () => new StandardScaler(),
  pca: (nComponents) => new PCA({ nComponents }),
};

/** Unfitted transforms for the parsed `--preprocess` steps, in the order given. */
export function createTransforms(steps: readonly PreprocessStep[]): Transformer[] {
  return steps.map(({ name, value }) => TRANSFORMS[name as PreprocessName](value));
}
