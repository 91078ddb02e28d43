import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@trellis/config';
import { baseDataSourceOptions } from './data-source';

/** One PostgreSQL pool per process; feature modules register their entities with forFeature. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...baseDataSourceOptions(config.databaseUrl, config.env.DATABASE_POOL_SIZE),
        autoLoadEntities: true,
        // Fail fast instead of TypeORM's default nine retries: start-up already checked reachability.
        retryAttempts: 1,
      }),
    }),
  ],
})
export class DatabaseModule {}
