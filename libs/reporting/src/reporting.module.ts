import { Module } from '@nestjs/common';
import { CommitmentsService } from './commitments.service';
import { ReportsService } from './reports.service';
import { ResultsVisibility } from './results-visibility';

@Module({
  providers: [ReportsService, CommitmentsService, ResultsVisibility],
  exports: [ReportsService, CommitmentsService, ResultsVisibility],
})
export class ReportingModule {}
