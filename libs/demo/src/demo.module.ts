import { Module } from '@nestjs/common';
import { IdentityModule } from '@trellis/identity';
import { OrganisationModule } from '@trellis/organisation';
import { SurveysModule } from '@trellis/surveys';
import { DemoService } from './demo.service';

@Module({
  imports: [OrganisationModule, IdentityModule, SurveysModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
