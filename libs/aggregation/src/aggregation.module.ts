import { Module } from '@nestjs/common';
import { SurveysModule } from '@trellis/surveys';
import { AggregationRepository } from './aggregation.repository';
import { AggregationService } from './aggregation.service';

@Module({
  imports: [SurveysModule],
  providers: [AggregationRepository, AggregationService],
  exports: [AggregationService],
})
export class AggregationModule {}
