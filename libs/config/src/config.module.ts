import { Global, Module } from '@nestjs/common';
import { parseEnv } from './env';
import { AppConfig } from './app-config';

/** Exposes the parsed environment as `AppConfig`; parsing fails before any module starts. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(parseEnv()) }],
  exports: [AppConfig],
})
export class ConfigModule {}
