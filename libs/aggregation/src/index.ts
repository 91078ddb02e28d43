export { AggregationModule } from './aggregation.module';
export { AggregationService, type AggregationOutcome } from './aggregation.service';
