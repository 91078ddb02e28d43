export { ReportingModule } from './reporting.module';
export { ReportsService, type Suppressed } from './reports.service';
export {
  CommitmentsService,
  type CommitmentInput,
  type CommitmentView,
} from './commitments.service';
export { ResultsVisibility, type RoundsVisibility, type UnitNode } from './results-visibility';
