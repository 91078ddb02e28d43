import { Module } from '@nestjs/common';
import { AuditModule } from '@trellis/audit';
import { SealingModule } from '@trellis/surveys';
import { CommentsService } from './comments.service';
import { CommitmentsService } from './commitments.service';
import { ReportsService } from './reports.service';
import { ResultsVisibility } from './results-visibility';
import { TeamReportService } from './team-report.service';

@Module({
  imports: [AuditModule, SealingModule],
  providers: [
    ReportsService,
    CommitmentsService,
    TeamReportService,
    ResultsVisibility,
    CommentsService,
  ],
  exports: [
    ReportsService,
    CommitmentsService,
    TeamReportService,
    ResultsVisibility,
    CommentsService,
  ],
})
export class ReportingModule {}
