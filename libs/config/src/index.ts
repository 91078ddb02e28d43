export { ConfigModule } from './config.module';
export { AppConfig } from './app-config';
export { parseEnv, ConfigError, type Env } from './env';
export { preflight, checkPostgres, checkRedis, describeUrl } from './preflight';
export { loadEnvOrExit } from './bootstrap';
export { httpLogOptions, loggingModule, requestId } from './logging';
export { safeError, safeUrl, scrubSecrets } from './log-safety';
