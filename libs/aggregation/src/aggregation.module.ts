import { Module } from '@nestjs/common';
import { SealingModule } from '@trellis/surveys';
import { AggregationRepository } from './aggregation.repository';
import { AggregationService } from './aggregation.service';

@Module({
  imports: [SealingModule],
  providers: [AggregationRepository, AggregationService],
  exports: [AggregationService],
})
export class AggregationModule {}
