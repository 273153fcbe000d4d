export {
  DecisionTreeClassifier,
  DECISION_TREE_DEFAULTS,
  DECISION_TREE_PARAMETERS,
  type DecisionTreeOptions,
} from './decision-tree.js';
export {
  RandomForestClassifier,
  RANDOM_FOREST_DEFAULTS,
  RANDOM_FOREST_PARAMETERS,
  type RandomForestOptions,
} from './random-forest.js';
export type { TreeOptions, MaxFeatures } from './tree-options.js';
export type { Criterion } from './impurity.js';
export type { TreeFitInfo } from './tree-ensemble-classifier.js';
