export {
  DecisionTreeClassifier,
  DECISION_TREE_DEFAULTS,
  type DecisionTreeOptions,
} from './decision-tree.js';
export {
  RandomForestClassifier,
  RANDOM_FOREST_DEFAULTS,
  type RandomForestOptions,
} from './random-forest.js';
export type { TreeOptions, MaxFeatures } from './tree-options.js';
export type { Criterion } from './impurity.js';
