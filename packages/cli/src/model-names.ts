/** The classifiers the CLI trains, by the name `--model` takes. */
export const MODEL_NAMES = ['softmax', 'svm', 'forest', 'mlp'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];
