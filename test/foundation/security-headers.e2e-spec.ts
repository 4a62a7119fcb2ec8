import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../src/config/app-config';
import { registerSecurityHeaders } from '../../src/common/http/security-headers';

@Controller('probe')
class HeadersProbeController {
  @Get()
  get(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [HeadersProbeController] })
class HeadersProbeModule {}

/** Only the headers: a bare app, no database, with the environment as the single variable. */
async function headersIn(env: AppConfig['app']['env']): Promise<Record<string, unknown>> {
  const app = await NestFactory.create<NestFastifyApplication>(HeadersProbeModule, new FastifyAdapter(), {
    logger: false,
  });
  try {
    registerSecurityHeaders(app, { app: { env } } as AppConfig);
    await app.init();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/probe' });
    expect(res.statusCode).toBe(200);
    return res.headers;
  } finally {
    await app.close();
  }
}

describe('security headers by environment', () => {
  it('sends HSTS in production (TLS ends at the ALB; the app never speaks plain HTTP to browsers there)', async () => {
    const headers = await headersIn('production');
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends no HSTS in development, where plain HTTP on localhost is normal', async () => {
    const headers = await headersIn('development');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
