import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '@trellis/redis';
import { Public } from '../access/access.decorator';
import { ApiPublic } from '../common/openapi';
import { LiveDto } from '../operations/operations.response';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up; says nothing about its dependencies, so orchestrators do not restart it for them. */
  @Get('live')
  @Public()
  @ApiPublic()
  @ApiOperation({ summary: 'Liveness: the process is up (says nothing about PostgreSQL or Redis)' })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok' };
  }

  /** Ready to serve: PostgreSQL and Redis both answer. 503 otherwise. */
  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiPublic()
  // @HealthCheck() documents the 200 and 503 bodies.
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis both answer; 503 otherwise' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1500 }),
      async () => {
        const redis = this.indicators.check('redis');
        try {
          await withTimeout(this.redis.ping(), 1500);
          return redis.up();
        } catch (error) {
          return redis.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
