import { Module } from '@nestjs/common';
import { CommitmentsService } from './commitments.service';
import { ReportsService } from './reports.service';

@Module({
  providers: [ReportsService, CommitmentsService],
  exports: [ReportsService, CommitmentsService],
})
export class ReportingModule {}
