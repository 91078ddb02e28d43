export { DatabaseModule } from './database.module';
export { baseDataSourceOptions, createMigrationDataSource } from './data-source';
export { ensureDatabase, runMigrations } from './migrate';
export { SnakeNamingStrategy } from './snake-naming.strategy';
export { affected, returning, type Sql } from './sql';
export { withRawClient } from './raw-client';
