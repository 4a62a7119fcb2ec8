import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppLogger } from './app-logger.js';
import type { Logger } from 'pino';

@Global()
@Module({})
export class LoggingModule {
  static forRoot(root: Logger): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: AppLogger, useValue: new AppLogger(root) }],
      exports: [AppLogger],
    };
  }
}
