import { Client } from 'pg';
import Redis from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const run = globalThis.__MYNA_TEST_RUN__;
  if (!run) return;
  const admin = new Client({ connectionString: run.adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${run.database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const prefix = process.env.REDIS_KEY_PREFIX;
  if (prefix?.startsWith('test:') && process.env.REDIS_URL) {
    const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
  await run.stop();
}
