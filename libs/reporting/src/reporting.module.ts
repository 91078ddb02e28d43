import { Module } from '@nestjs/common';
import { AuditModule } from '@trellis/audit';
import { CommitmentsService } from './commitments.service';
import { ReportsService } from './reports.service';
import { ResultsVisibility } from './results-visibility';
import { TeamReportService } from './team-report.service';

@Module({
  imports: [AuditModule],
  providers: [ReportsService, CommitmentsService, TeamReportService, ResultsVisibility],
  exports: [ReportsService, CommitmentsService, TeamReportService, ResultsVisibility],
})
export class ReportingModule {}
