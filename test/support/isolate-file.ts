import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { assertTestDatabase, withDatabase } from './test-services';

/**
 * Each integration/e2e test file gets its own database, cloned from the run's migrated database
 * (CREATE DATABASE … TEMPLATE, fast), and its own Redis key prefix. Files run in parallel and
 * link the same fixed personas, so without this one file's link would log out another's device.
 */
const runDatabaseUrl = process.env.DATABASE_URL!;
const runPrefix = process.env.REDIS_KEY_PREFIX!;
/** A database other than the template: a connection to the template would block cloning it. */
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;
let fileDatabase: string | undefined;

beforeAll(async () => {
  const template = assertTestDatabase(runDatabaseUrl);
  fileDatabase = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${fileDatabase}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // Another file's clone is reading the template at this instant: try again shortly.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  process.env.DATABASE_URL = withDatabase(runDatabaseUrl, fileDatabase);
  process.env.REDIS_KEY_PREFIX = `${runPrefix}:${randomBytes(3).toString('hex')}`;
});

afterAll(async () => {
  if (!fileDatabase) return;
  process.env.DATABASE_URL = runDatabaseUrl;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${fileDatabase}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});
