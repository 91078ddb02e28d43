export { ReportingModule } from './reporting.module';
export { ReportsService, type Suppressed } from './reports.service';
