import { Controller, type DynamicModule, Get, Global, Header, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiPublic } from '../common/openapi/api-problems.decorator.js';
import { Metrics } from './metrics.js';
import { CloudWatchEmfPublisher } from './cloudwatch-emf.publisher.js';
import { ConnectionGauges } from './connection-gauges.js';
import { QueueGauges } from './queue-gauges.js';

@ApiTags('operations')
@ApiPublic()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus text exposition (request durations, breakers, process)' })
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems()
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** The Metrics instance is made in bootstrap, because Fastify hooks record into it before Nest exists. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(metrics: Metrics): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        { provide: Metrics, useValue: metrics },
        CloudWatchEmfPublisher,
        ConnectionGauges,
        QueueGauges,
      ],
      controllers: [MetricsController],
      exports: [Metrics, CloudWatchEmfPublisher],
    };
  }
}
