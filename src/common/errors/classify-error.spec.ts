import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { classifyError } from './classify-error';
import { DomainException } from './domain.exception';
import { buildProblem } from './problem';

describe('classifyError', () => {
  it('keeps a domain exception code and retry hint', () => {
    const c = classifyError(new DomainException('UPSTREAM_UNAVAILABLE', { retryAfterSeconds: 5 }));
    expect(c).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 5, unexpected: false });
  });

  it('unwraps Fastify errors that Nest wrapped', () => {
    const fastifyError = Object.assign(new Error('too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    const wrapped = new HttpException('too large', 413, { cause: fastifyError });
    expect(classifyError(wrapped).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('maps Nest HTTP exceptions by status and unknown errors to INTERNAL', () => {
    expect(classifyError(new NotFoundException()).code).toBe('NOT_FOUND');
    expect(classifyError(new BadRequestException()).code).toBe('VALIDATION_FAILED');
    expect(classifyError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', unexpected: true });
    expect(classifyError('a string')).toMatchObject({ code: 'INTERNAL', unexpected: true });
  });
});

describe('classifyError for PostgreSQL/Redis outages', () => {
  it.each([
    ['pg refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'pg terminated, wrapped by TypeORM',
      Object.assign(new Error('x'), { driverError: new Error('Connection terminated unexpectedly') }),
    ],
    ['pg admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['redis offline', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
  ])('%s → 503 UPSTREAM_UNAVAILABLE with Retry-After', (_name, error) => {
    expect(classifyError(error)).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterSeconds: 1,
      unexpected: false,
    });
  });

  it('keeps an ordinary bug a 500', () => {
    expect(classifyError(new TypeError("Cannot read properties of undefined (reading 'x')")).code).toBe(
      'INTERNAL',
    );
  });
});

describe('buildProblem', () => {
  it('renders the status and texts of a code in each language', () => {
    const ja = buildProblem('LINK_EXPIRED', 'r1', 'ja');
    expect(ja).toMatchObject({
      status: 401,
      code: 'LINK_EXPIRED',
      type: '/problems/link-expired',
      requestId: 'r1',
    });
    expect(ja.title).toContain('マイナポータル連携');
    expect(buildProblem('LINK_EXPIRED', 'r1', 'en').title).toBe('The Mynaportal link has expired');
  });

  it('renders field errors with parameters', () => {
    const p = buildProblem('VALIDATION_FAILED', 'r', 'en', [
      { field: 'limit', rule: 'range', params: { min: 1, max: 100 } },
    ]);
    expect(p.errors).toEqual([{ field: 'limit', message: 'must be between 1 and 100.' }]);
  });
});
