/** The classifiers the CLI trains, by the name `--model` takes. */
export const MODEL_NAMES = ['svm'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];
