import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { requestContext } from './request-context.js';

type Fields = Record<string, unknown>;

/**
 * The logger services use. Inside a request it writes through that request's child logger, so every
 * line carries the request id; outside (jobs, boot) through the root logger.
 */
export class AppLogger {
  constructor(
    private readonly root: Logger,
    private readonly context?: string,
  ) {}

  forContext(context: string): AppLogger {
    return new AppLogger(this.root, context);
  }

  get pino(): Logger {
    return this.root;
  }

  debug(fields: Fields, msg: string): void {
    this.current().debug(this.with(fields), msg);
  }
  info(fields: Fields, msg: string): void {
    this.current().info(this.with(fields), msg);
  }
  warn(fields: Fields, msg: string): void {
    this.current().warn(this.with(fields), msg);
  }
  error(fields: Fields, msg: string): void {
    this.current().error(this.with(fields), msg);
  }

  private current(): Logger {
    return requestContext.getStore()?.logger ?? this.root;
  }

  private with(fields: Fields): Fields {
    return this.context ? { context: this.context, ...fields } : fields;
  }
}

/** Adapts Nest's own framework logging (bootstrap, route mapping) onto pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, context?: string): void {
    this.root.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.root.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.root.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.root.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.root.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.root.fatal({ context }, String(message));
  }
}
