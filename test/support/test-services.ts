import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

/**
 * Where the integration tests find PostgreSQL and Redis:
 * 1. DATABASE_URL / REDIS_URL from the environment, when given;
 * 2. otherwise testcontainers, when a Docker engine answers;
 * 3. otherwise the machine's local services (127.0.0.1:5432 / :6379).
 */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  stop: () => Promise<void>;
}

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** The harness refuses to touch a database whose name does not say it is for tests. */
export function assertTestDatabase(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test"`);
  }
  return name;
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function dockerAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

export async function resolveServices(): Promise<ServiceUrls> {
  const fromEnvDb = process.env.DATABASE_URL;
  const fromEnvRedis = process.env.REDIS_URL;
  if ((fromEnvDb && fromEnvRedis) || !dockerAvailable()) {
    return {
      databaseUrl: fromEnvDb ?? LOCAL_DATABASE_URL,
      redisUrl: fromEnvRedis ?? LOCAL_REDIS_URL,
      stop: async () => undefined,
    };
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [pg, redis] = await Promise.all([
    fromEnvDb ? undefined : new PostgreSqlContainer('postgres:17-alpine').withDatabase('test').start(),
    fromEnvRedis ? undefined : new RedisContainer('redis:7-alpine').start(),
  ]);
  return {
    databaseUrl: fromEnvDb ?? pg!.getConnectionUri(),
    redisUrl: fromEnvRedis ?? redis!.getConnectionUrl(),
    stop: async () => {
      await Promise.all([pg?.stop(), redis?.stop()]);
    },
  };
}
