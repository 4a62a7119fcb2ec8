import { Writable } from 'node:stream';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/create-app';
import { loadConfig } from '../../src/config/load-config';
import type { AppConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/common/logging/create-logger';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw text of every log line, for "this value never appears" assertions. */
  rawLogs: () => string;
  url: string;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  imports?: Type[];
  /** Listen on a real port (for tests that need a URL, e.g. simulators calling back). */
  listen?: boolean;
}

/** Boots the real application (real PostgreSQL, Redis) for integration and e2e tests. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'debug', ...options.env });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger(config.app, sink);
  const app = await createApp(config, { logger, imports: options.imports });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let url = '';
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  }
  const logs: Record<string, unknown>[] = [];
  return {
    app,
    config,
    get logs() {
      logs.length = 0;
      for (const line of lines) logs.push(JSON.parse(line) as Record<string, unknown>);
      return logs;
    },
    rawLogs: () => lines.join('\n'),
    url,
    close: () => app.close(),
  };
}
