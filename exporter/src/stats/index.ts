// Pure statistics for the exporter: reference profiles, mergeable window states, and the
// metrics computed from them. No I/O here.
export { InvalidReferenceError } from './errors.js';
export {
  OTHER_CATEGORY,
  buildFeatureReference,
  type CategoricalFeatureReference,
  type FeatureReference,
  type NumericFeatureReference,
} from './feature-reference.js';
export { NumericFeatureState } from './numeric-state.js';
export { numericDrift, type NumericDrift } from './numeric-drift.js';
export { CategoricalFeatureState } from './categorical-state.js';
export { categoricalDrift, type CategoricalDrift } from './categorical-drift.js';
export { ScoreGrid, ADAPTIVE_BINS, ADAPTIVE_CELLS, ADAPTIVE_SHARED_CELLS, scoreKey } from './adaptive-grid.js';
export {
  ClassificationState,
  LOG_LOSS_EPS,
  ROW_SUM_MAX,
  ROW_SUM_MIN,
  ROW_SUM_TOLERANCE,
  logLossTerm,
  type ClassHistograms,
} from './classification-state.js';
export { classificationMetrics, type ClassMetrics, type ClassificationMetrics } from './classification-metrics.js';
export { rocAuc, rocAucWithBound } from './roc-auc.js';
export { RegressionState, regressionMetrics } from './regression.js';
export { PSI_FLOOR, psiFromProportions } from './psi.js';
export { ksPValue, kolmogorovSf } from './ks-pvalue.js';
export { jensenShannonDistance } from './js-distance.js';
export { ExactSum } from './exact-sum.js';
export { featureMissingRatio } from './missing-ratio.js';
export { fitIsotonic, applyIsotonic, type IsotonicMap } from './isotonic.js';
export {
  AUC_BINS,
  CalibrationInputError,
  binaryPositiveClass,
  calibrateRow,
  expectedCalibrationError,
  fitBinaryCalibration,
  fitMulticlassCalibration,
  quantileEdges,
  type BinaryCalibration,
  type Calibration,
  type MulticlassCalibration,
} from './calibration.js';
export { EstimateState } from './estimate-state.js';
export { inferPositiveClass, POSITIVE_CLASS_RULE, UNAMBIGUOUS_BINARY_CLASSES } from './positive-class.js';
export {
  Z95,
  aucBin,
  estimateBinary,
  estimateMulticlass,
  estimatedMetrics,
  newEstimateState,
  type EstimatedClassMetrics,
  type EstimatedMetrics,
} from './estimated-metrics.js';
export { wilsonInterval, wilsonUpper } from './wilson.js';
export { kstwoSf, smirnovSf, roundHalfEven } from './ks-pvalue.js';
export { MAX_MAGNITUDE, withinMagnitude } from './magnitude.js';
