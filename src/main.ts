import { createApp } from './create-app.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { AppConfig } from './config/app-config.js';

async function bootstrap(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  // Graceful shutdown on SIGTERM (ECS) / SIGINT: Fastify stops accepting and answers 503 while
  // in-flight requests finish, BullMQ workers finish their jobs, then DB and Redis close.
  // A hard deadline keeps a stuck close from outliving the orchestrator's stop timeout.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), config.app.shutdownTimeoutMs).unref();
    });
  }
  await app.listen({ port: config.app.port, host: config.app.host });
  app
    .getHttpAdapter()
    .getInstance()
    .log.info({ role: config.app.role, port: config.app.port }, 'myna-bff started');
}

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', msg: error.message, problems: error.problems })}\n`,
    );
    process.exit(1);
  }
  throw error;
}

bootstrap(config).catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'failed to start', err: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
