/** The transforms `--preprocess` knows, and whether each takes a number (`pca=50`). */
export const PREPROCESS_STEPS = { deskew: false, standardize: false, pca: true } as const;

export type PreprocessName = keyof typeof PREPROCESS_STEPS;
