import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { resolveTsFromJs } from './resolve-ts';
import type * as DataSourceModule from '../../src/database/data-source-options';
import { testSecrets } from './test-secrets';
import { assertTestDatabase, newRunId, resolveServices, withDatabase } from './test-services';

interface JestGlobalConfig {
  selectProjects?: string[];
}

export interface TestRun {
  adminDatabaseUrl: string;
  database: string;
  stop: () => Promise<void>;
}

declare global {
  var __MYNA_TEST_RUN__: TestRun | undefined;
}

/**
 * Gives this test run its own database (created, migrated, dropped at the end) and its own Redis
 * key prefix, so concurrent runs on one machine never see each other's data.
 * Workers inherit the variables set here.
 */
export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  const selected = globalConfig.selectProjects ?? [];
  if (selected.length > 0 && selected.every((p) => p === 'unit')) return;

  const services = await resolveServices();
  assertTestDatabase(services.databaseUrl);
  const runId = newRunId();
  const database = `myna_test_${runId}`;

  const admin = new Client({ connectionString: services.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }

  resolveTsFromJs();
  // require, not import(): the hook above applies to the CommonJS loader that ts-jest compiles to.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { dataSourceOptions } = require('../../src/database/data-source-options') as typeof DataSourceModule;
  const databaseUrl = withDatabase(services.databaseUrl, database);
  assertTestDatabase(databaseUrl);
  const dataSource = new DataSource(
    dataSourceOptions({ url: databaseUrl, poolMax: 2, ssl: false, migrateOnStart: false }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  process.env.NODE_ENV = 'test';
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = services.redisUrl;
  process.env.REDIS_KEY_PREFIX = `test:${runId}`;
  process.env.MYNA_TEST_RUN_ID = runId;
  process.env.TEST_ADMIN_DATABASE_URL = services.databaseUrl;
  Object.assign(process.env, testSecrets());
  globalThis.__MYNA_TEST_RUN__ = { adminDatabaseUrl: services.databaseUrl, database, stop: services.stop };
}
