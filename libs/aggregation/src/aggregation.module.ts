import { Module } from '@nestjs/common';
import { AggregationRepository } from './aggregation.repository';
import { AggregationService } from './aggregation.service';

@Module({ providers: [AggregationRepository, AggregationService], exports: [AggregationService] })
export class AggregationModule {}
