/**
 * The one code path that decides what of a round's results may leave the server (domain.md
 * section 4). Pages, the API and exports all ask here; nothing else compares counts with k.
 */
export {
  anonymitySettings,
  DEFAULT_ANONYMITY_SETTINGS,
  DEFAULT_MIN_COMMENT_GROUP,
  DEFAULT_MIN_GROUP_SIZE,
  MIN_GROUP_SIZE_FLOOR,
  organisationAnonymity,
  type AnonymitySettings,
  type SettingsProblem,
  type SettingsResult,
} from './settings';
export {
  decideVisibility,
  type RoundState,
  type UnitRespondents,
  type UnitVisibility,
  type VisibilityReason,
} from './visibility';
export {
  commentsVisible,
  decideCommentVisibility,
  orderComments,
  type UnitCommentVisibility,
  type UnitComments,
} from './comments';
export { placeComments, type CommentPlacement } from './comment-placement';
export { filterVisible, subsetVisible, type SubsetCounts } from './filters';
export { ownGroupId, withOwnGroups } from './own-groups';
export { duplicateAnswers, type AnsweredMember } from './people';
export { compositions, differingPeople, historyGuard, type Composition } from './history';
export { decideFigure, type FigureCount, type FigureVisibility } from './figures';
export { reveal, revealGroup, type GroupDecision, type Shown } from './shown';
export {
  liveParticipation,
  type LiveParticipation,
  type TeamParticipation,
} from './live-participation';
