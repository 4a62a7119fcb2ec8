import pino, { type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { serializeError } from './error-serializer.js';
import { REDACTED, redactPaths } from './redaction.js';

/** The one root pino logger of a process: JSON lines, ISO time, redaction configured once. */
export function createLogger(
  app: Pick<AppConfig['app'], 'logLevel' | 'role' | 'env'>,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: app.logLevel,
      base: { service: 'myna-bff', role: app.role, env: app.env, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}
