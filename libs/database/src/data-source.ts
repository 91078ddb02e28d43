import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The options every process and the migration runner share; schema comes only from migrations. */
export function baseDataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTransactionMode: 'each',
    poolSize,
    extra: { connectionTimeoutMillis: 5000, application_name: 'trellis' },
  };
}

export function createMigrationDataSource(url: string): DataSource {
  return new DataSource(baseDataSourceOptions(url, 2));
}
