export type {
  DimensionDef,
  FormKind,
  InstrumentDef,
  ItemDef,
  Problem,
  Scale,
  Validation,
} from './instrument.types';
export { dimensionScale } from './instrument.types';
export { AUTONOMY_ALIGNMENT_PULSE } from './autonomy-alignment-pulse';
export { INSTRUMENT_LIMITS, validateInstrument } from './validate-instrument';
export { SHORT_FORM_ITEMS_PER_DIMENSION, formItems, scaleLabels } from './forms';
export {
  DEFAULT_MAX_COMMENT_LENGTH,
  NOTHING_ANSWERED,
  REQUIRED,
  MAX_THEMED_COMMENTS,
  validateComments,
  validateSubmission,
  type ThemedComment,
  type Answer,
  type Submission,
  type SubmissionOptions,
} from './validate-submission';
