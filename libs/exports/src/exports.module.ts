import { Module } from '@nestjs/common';
import { JobsModule } from '@trellis/jobs';
import { ReportingModule } from '@trellis/reporting';
import { ExportJobsService } from './export-jobs.service';
import { TrendExportService } from './trend-export.service';

@Module({
  imports: [ReportingModule, JobsModule],
  providers: [TrendExportService, ExportJobsService],
  exports: [TrendExportService, ExportJobsService],
})
export class ExportsModule {}
