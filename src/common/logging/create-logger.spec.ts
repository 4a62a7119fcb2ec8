import { Writable } from 'node:stream';
import { createLogger } from './create-logger';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logger redaction', () => {
  it('removes credentials, tokens and personal data at the top level and one level down, and in headers', () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info', role: 'api', env: 'test' }, out.stream);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer tok-1', cookie: 'sid=tok-2' } },
        accessToken: 'tok-3',
        person: {
          name: '佐藤花子',
          address: '東京都千代田区',
          birthdate: '1990-01-01',
          refreshToken: 'tok-4',
        },
        nested: { sessionToken: 'tok-5' },
        userId: 'kept-user-id',
      },
      'hello',
    );
    const text = out.text();
    for (const secret of [
      'tok-1',
      'tok-2',
      'tok-3',
      'tok-4',
      'tok-5',
      '佐藤花子',
      '東京都千代田区',
      '1990-01-01',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('kept-user-id');
    expect(text).toContain('[REDACTED]');
  });
});

describe('logged errors', () => {
  it('never carry the query parameters or the values of a database error', async () => {
    const { QueryFailedError } = await import('typeorm');
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
      detail: 'Key (device_id)=(device-secret-label) already exists.',
      parameters: ['nested-secret'],
    });
    const error = new QueryFailedError(
      'INSERT INTO device_links VALUES ($1, $2)',
      ['param-secret', 'enc-secret'],
      driverError,
    );
    const out = capture();
    const logger = createLogger({ logLevel: 'info', role: 'api', env: 'test' }, out.stream);
    logger.error({ err: error }, 'request failed');
    logger.error({ error: new Error('wrapped', { cause: error }) }, 'request failed');
    const text = out.text();
    for (const secret of ['param-secret', 'enc-secret', 'device-secret-label', 'nested-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('INSERT INTO device_links');
    expect(text).toContain('23505');
    // the error object itself is untouched
    expect(error.parameters).toBeDefined();
    expect(driverError.detail).toContain('device-secret-label');
  });
});
