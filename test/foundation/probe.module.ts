import { Body, Controller, Get, Module, Post, type RawBodyRequest, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RateLimit } from '../../src/common/rate-limit/rate-limit.decorator';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class ProbeDto {
  @IsString()
  @Length(8, 128)
  @Matches(/^[A-Za-z0-9._-]+$/)
  deviceId!: string;

  @IsIn(['ios', 'android'])
  platform!: 'ios' | 'android';

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** A route with a typical DTO, mounted only in tests, to exercise the global validation and errors. */
@Controller('__probe')
export class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto): { ok: true; deviceId: string } {
    return { ok: true, deviceId: body.deviceId };
  }

  @Get('slow')
  async slow(): Promise<{ finished: true }> {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { finished: true };
  }

  /** What a webhook signature check sees: the exact bytes received. */
  @Post('raw')
  raw(@Req() request: RawBodyRequest<FastifyRequest>): { raw: string | undefined } {
    return { raw: request.rawBody?.toString('utf8') };
  }

  /** The client IP as rate limits see it. */
  @Get('ip')
  @RateLimit('ip')
  ip(@Req() request: FastifyRequest): { ip: string } {
    return { ip: request.ip };
  }

  @Get('per-session')
  @RateLimit('session')
  perSession(): { ok: true } {
    return { ok: true };
  }

  @Post('boom')
  boom(): never {
    throw new Error('SELECT secret FROM tokens -- internal detail that must not leak');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
