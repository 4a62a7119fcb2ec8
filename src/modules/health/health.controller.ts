import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiPublic } from '../../common/openapi/api-problems.decorator.js';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { RedisHealthIndicator } from './redis.health.js';
import { BreakersHealthIndicator } from './breakers.health.js';

const CHECK_TIMEOUT_MS = 1500;

const checks = { type: 'object', additionalProperties: { type: 'object' } };
/** Terminus' result: each check and each circuit breaker by name. */
const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: checks,
    error: checks,
    details: checks,
  },
  required: ['status'],
};

@ApiTags('operations')
@ApiPublic()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly breakers: BreakersHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @ApiOkResponse({
    description: 'alive',
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['ok'] } },
      required: ['status'],
    },
  })
  @ApiProblems()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer; lists circuit breaker states' })
  @ApiOkResponse({ description: 'ready', schema: HEALTH_SCHEMA })
  @ApiProblems()
  @ApiServiceUnavailableResponse({
    description: 'PostgreSQL or Redis does not answer (the same check list, not problem+json)',
    schema: HEALTH_SCHEMA,
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redis.ping('redis', CHECK_TIMEOUT_MS),
        () => this.breakers.report('upstreams'),
      ]);
    } catch (error) {
      // Terminus reports "not ready" by throwing; the body is the same check list, with 503.
      if (error instanceof ServiceUnavailableException) {
        void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }
}
