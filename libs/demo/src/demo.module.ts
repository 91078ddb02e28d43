import { Module } from '@nestjs/common';
import { AggregationModule } from '@trellis/aggregation';
import { IdentityModule } from '@trellis/identity';
import { OrganisationModule } from '@trellis/organisation';
import { ReportingModule } from '@trellis/reporting';
import { SurveysModule } from '@trellis/surveys';
import { DemoService } from './demo.service';
import { SyntheticLoader } from './synthetic.loader';

@Module({
  imports: [OrganisationModule, IdentityModule, SurveysModule, AggregationModule, ReportingModule],
  providers: [DemoService, SyntheticLoader],
  exports: [DemoService, SyntheticLoader],
})
export class DemoModule {}
