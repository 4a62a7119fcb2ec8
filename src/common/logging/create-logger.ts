import pino, { type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { serializeError } from './error-serializer.js';
import { REDACTED, redactPaths } from './redaction.js';

type LoggerSettings = Pick<AppConfig['app'], 'logLevel' | 'role' | 'env'> &
  Partial<Pick<AppConfig['app'], 'logPretty'>>;

/**
 * The one root pino logger of a process: JSON lines, ISO time, redaction configured once.
 * With LOG_PRETTY in development (`npm run dev`) the same lines go through pino-pretty (a
 * devDependency, loaded by pino's transport worker only then): coloured, one line per event, each
 * marked with the role (`[api]`, `[worker]`). Production always writes JSON lines.
 */
export function createLogger(app: LoggerSettings, destination?: pino.DestinationStream): Logger {
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
    destination ?? (app.logPretty && app.env === 'development' ? prettyTransport() : bufferedStdout()),
  );
}

/** Bytes of log lines collected before one write to stdout. */
const STDOUT_BUFFER_BYTES = 4096;
/** …and the longest a line waits for it (a quiet task still shows its lines within a second). */
const STDOUT_FLUSH_MS = 1000;

/**
 * stdout, written in 4 KiB chunks rather than one write(2) per line (pino's default): the access
 * line of every request was ~3 % of a content request's CPU in bench:api. pino flushes the buffer
 * synchronously on exit (process.exit included); a SIGKILL loses at most one second of lines.
 */
function bufferedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: STDOUT_BUFFER_BYTES });
  setInterval(() => stream.flush(), STDOUT_FLUSH_MS).unref();
  return stream;
}

/** pino-pretty in pino's worker thread, writing to stdout (options must be serialisable). */
export function prettyTransport(): pino.DestinationStream {
  return pino.transport({
    target: 'pino-pretty',
    options: {
      // colours on a terminal; plain text when piped to a file
      colorize: Boolean(process.stdout.isTTY),
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageKey: 'msg',
      messageFormat: '[{role}] {msg}',
      ignore: 'pid,hostname,service,env,role',
      destination: 1,
    },
  });
}
