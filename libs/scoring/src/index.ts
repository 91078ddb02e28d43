export { tCdf, tQuantile } from './student-t';
export {
  optionCount,
  scaleFor,
  spreadToFivePoint,
  toFivePoint,
  toScore100,
  type DimensionScales,
  type ResponseScale,
} from './scale';
export {
  DEFAULT_CONFIDENCE,
  deviationSumOfSquares,
  integerSampleCovariance,
  integerSampleVariance,
  sampleVariance,
  summarize,
  type CoMoments,
  type Moments,
  type Summary,
  type SummaryOptions,
} from './summary';
export {
  answerTone,
  answerTones,
  favourableBounds,
  HIGHER_IS_WORSE_BY_KEY,
  isHigherWorse,
  share,
  type DimensionDirection,
  type FavourableBounds,
  type ScoreRange,
  type Tone,
} from './favourable';
export { expectedUniformVariance, rwg, rwgJ } from './agreement';
export { icc1, icc2, oneWayAnova, type OneWayAnova } from './icc';
export { cronbachAlpha, type AlphaInput } from './alpha';
export { countsForDimension, personDimensionScore } from './person-score';
export { percentileRank, percentileRanker } from './percentile';
export {
  INDEX_DIMENSIONS,
  dimensionOnFivePoint,
  teamIndices,
  type DimensionEstimate,
  type IndexName,
  type IndexValue,
  type TeamIndices,
} from './indices';
export {
  DEFAULT_QUADRANT_MIDPOINT,
  QUADRANTS,
  quadrant,
  quadrantOf,
  type Quadrant,
} from './quadrant';
export {
  CONFIRMATION_CONFIDENCE,
  DEFAULT_FLAG_THRESHOLDS,
  FLAG_THRESHOLD_RANGES,
  flagThresholds,
  thresholdRangeText,
  type ThresholdRange,
  type FlagThresholds,
  type SettingProblem,
  type ThresholdsReading,
} from './thresholds';
export {
  FLAG_CODES,
  FLAG_TITLES,
  HIGHER_IS_WORSE,
  SPLIT_TEAM_DIMENSIONS,
  evaluateFlags,
  type DimensionResult,
  type Flag,
  type FlagCode,
  type FlagInput,
  type FlagLevel,
} from './flags';
export { changeBetween, type Change, type Estimate } from './change';
export { figure, roundedFigure } from './figure';
