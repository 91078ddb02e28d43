export { RedisModule, REDIS } from './redis.module';
export { failFast } from './fail-fast';
