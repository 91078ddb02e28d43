import { Module } from '@nestjs/common';
import { ConfigModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { DemoModule } from '@trellis/demo';
import { IdentityModule } from '@trellis/identity';
import { OrganisationModule } from '@trellis/organisation';
import { RedisModule } from '@trellis/redis';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    OrganisationModule,
    IdentityModule,
    DemoModule,
  ],
})
export class CliModule {}
