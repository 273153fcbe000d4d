/** The classifiers the CLI trains, by the name `--model` takes. */
export const MODEL_NAMES = ['svm', 'forest'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];
