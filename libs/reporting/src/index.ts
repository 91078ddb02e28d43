export { ReportingModule } from './reporting.module';
export {
  ReportsService,
  type ShownReportRound,
  type Suppressed,
  type SuppressedReportRound,
  type UnitReport,
  type UnitReportRound,
  type DimensionFigure,
  type FlagView,
  type ItemFigure,
  type Comparison,
  type ParticipationRound,
  type RoundChoice,
} from './reports.service';
export {
  AGREEMENT_CUTOFF,
  belowAgreement,
  organisationStatistics,
  type OrganisationStatistic,
  type RoundBasis,
} from './round-statistics';
export { CommitmentsService, type CommitmentView } from './commitments.service';
export {
  ACTION_MAX,
  COMMITMENT_STATUSES,
  NOTE_MAX,
  OWNER_MAX,
  PAST_DATE_MESSAGE,
  earliestToday,
  isOverdue,
  readCommitment,
  readCommitmentChange,
  type CommitmentChange,
  type CommitmentChangeDraft,
  type CommitmentContext,
  type CommitmentDraft,
  type CommitmentInput,
  type CommitmentStatus,
} from './commitment-rules';
export { TeamReportService, type TeamReportView } from './team-report.service';
export { ResultsVisibility, type RoundsVisibility, type UnitNode } from './results-visibility';
export { type TeamLine, type TeamsSummary } from './teams-summary';
export {
  COMMENT_MARKS,
  COMMENT_QUERY_MAX,
  CommentsService,
  GENERAL_THEME,
  HIDDEN_TEXT,
  type CommentMarkStatus,
  type CommentQuery,
  type CommentRound,
  type CommentTheme,
  type OrganisationCommentsView,
  type ShownComment,
  type UnitCommentsView,
} from './comments.service';
export {
  ConversationsService,
  HIDE_REASON_MAX,
  REPLY_MAX,
  type AuthorCommentView,
  type AuthorConversationView,
  type ReplyView,
} from './conversations.service';
