import { Module } from '@nestjs/common';
import { AuditModule } from '@trellis/audit';
import { JobsModule } from '@trellis/jobs';
import { SealingModule } from '@trellis/surveys';
import { CommentsService } from './comments.service';
import { ConversationsService } from './conversations.service';
import { CommitmentsService } from './commitments.service';
import { ReportsService } from './reports.service';
import { ResultsVisibility } from './results-visibility';
import { TeamReportService } from './team-report.service';

@Module({
  imports: [AuditModule, SealingModule, JobsModule],
  providers: [
    ReportsService,
    CommitmentsService,
    TeamReportService,
    ResultsVisibility,
    CommentsService,
    ConversationsService,
  ],
  exports: [
    ReportsService,
    CommitmentsService,
    TeamReportService,
    ResultsVisibility,
    CommentsService,
    ConversationsService,
  ],
})
export class ReportingModule {}
