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
} from './reports.service';
export { CommitmentsService, type CommitmentView } from './commitments.service';
export {
  ACTION_MAX,
  COMMITMENT_STATUSES,
  OWNER_MAX,
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
export {
  COMMENT_MARKS,
  COMMENT_QUERY_MAX,
  CommentsService,
  GENERAL_THEME,
  type CommentMarkStatus,
  type CommentQuery,
  type CommentRound,
  type CommentTheme,
  type OrganisationCommentsView,
  type ShownComment,
  type UnitCommentsView,
} from './comments.service';
