import { Module } from '@nestjs/common';
import { IdentityModule } from '@trellis/identity';
import { OrganisationModule } from '@trellis/organisation';
import { DemoService } from './demo.service';

@Module({
  imports: [OrganisationModule, IdentityModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
