import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../src/redis/redis.constants';
import { ApiUsageRecorder } from '../../src/modules/delivery-status/usage/api-usage.recorder';
import { jstDay } from '../../src/modules/delivery-status/usage/jst-day';
import { startTestApp, type TestApp } from '../support/test-app';
import { adminEnv, asAdmin } from './admin-env';

interface UsageDay {
  day: string;
  linkedPeople: number;
  links: number;
  unlinks: number;
  activePushDevices: number | null;
  apiCalls: Record<string, number>;
}

describe('usage statistics and the devices export', () => {
  let t: TestApp;
  let db: DataSource;
  const pushToken = randomBytes(40);
  const sessionHash = randomBytes(32);
  const tag = randomUUID().slice(0, 8);

  const people: string[] = [];

  async function addLink(
    linkedAt: string,
    revoke?: { at: string; reason: string },
    push = false,
  ): Promise<string> {
    const [person] = await db.query<{ id: string }[]>(
      `INSERT INTO people (subject) VALUES ($1) RETURNING id`,
      [`usage-${tag}-${randomUUID()}`],
    );
    await db.query(
      `INSERT INTO device_links (person_id, device_id, platform, session_token_hash, session_expires_at,
                                 linked_at, revoked_at, revoked_reason)
       VALUES ($1, $2, 'ios', $3, now() + interval '1 day', $4, $5, $6)`,
      [
        person.id,
        `dev-${tag}-${randomUUID().slice(0, 8)}`,
        push ? sessionHash : randomBytes(32),
        linkedAt,
        revoke?.at ?? null,
        revoke?.reason ?? null,
      ],
    );
    people.push(person.id);
    if (push) {
      // the push module's registration for this link (a test may write any table)
      await db.query(
        `INSERT INTO push_registrations (device_link_id, person_id, token_enc)
         SELECT id, person_id, $2 FROM device_links WHERE person_id = $1`,
        [person.id, pushToken],
      );
    }
    return person.id;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: adminEnv });
    db = t.app.get(DataSource);
    // JST days: 2025-04-01 09:30 JST is 00:30Z; 2025-04-02 23:30 JST is 14:30Z the same UTC day
    await addLink('2025-04-01T00:30:00Z', undefined, true);
    await addLink('2025-04-02T01:00:00Z', { at: '2025-04-02T14:30:00Z', reason: 'unlinked' });
    await addLink('2025-04-02T14:45:00Z');
    // 15:10Z on 04-02 is 00:10 JST on 04-03; 16:00Z on 04-04 is 01:00 JST on 04-05
    await addLink('2025-04-02T15:10:00Z', { at: '2025-04-04T16:00:00Z', reason: 'replaced' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function usage(from: string, to: string): Promise<UsageDay[]> {
    const res = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/stats/usage?from=${from}&to=${to}`,
      headers: asAdmin(),
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: UsageDay[] }>().items;
  }

  it('counts links, unlinks and linked people per JST day', async () => {
    const days = await usage('2025-04-01', '2025-04-05');
    expect(days.map((d) => d.day)).toEqual([
      '2025-04-01',
      '2025-04-02',
      '2025-04-03',
      '2025-04-04',
      '2025-04-05',
    ]);
    expect(days.map((d) => d.links)).toEqual([1, 2, 1, 0, 0]);
    // only an "unlinked" revocation is an unlink; a replaced link still ends that link
    expect(days.map((d) => d.unlinks)).toEqual([0, 1, 0, 0, 0]);
    expect(days.map((d) => d.linkedPeople)).toEqual([1, 2, 3, 3, 2]);
  });

  it('a range starting later carries the people linked before it', async () => {
    const days = await usage('2025-04-04', '2025-04-05');
    expect(days.map((d) => d.linkedPeople)).toEqual([3, 2]);
  });

  it('keeps the final link figures of ended days beside their counters (never today’s), and answers the same from them', async () => {
    const today = jstDay(new Date());
    const computedToday = await usage(today, today);
    await usage('2025-04-01', '2025-04-05');
    const redis = t.app.get<Redis>(REDIS);
    const ended = await redis.hgetall('usage:2025-04-02');
    expect(ended).toMatchObject({ 'links:links': '2', 'links:unlinks': '1', 'links:linkedPeople': '2' });
    expect(await redis.hget(`usage:${today}`, 'links:linkedPeople')).toBeNull();
    // a cached day answers as computed: the same figures as the first request of this file
    const again = await usage('2025-04-01', '2025-04-05');
    expect(again.map((d) => [d.links, d.unlinks, d.linkedPeople])).toEqual([
      [1, 0, 1],
      [2, 1, 2],
      [1, 0, 3],
      [0, 0, 3],
      [0, 0, 2],
    ]);
    expect(computedToday[0].linkedPeople).toBe(2);
  });

  it('starts the running total of linked people from the kept figure of the day before (no count of every link)', async () => {
    const redis = t.app.get<Redis>(REDIS);
    await usage('2025-04-01', '2025-04-05');
    await redis.hdel('usage:2025-04-04', 'links:linkedPeople');
    await redis.hdel('usage:2025-04-05', 'links:linkedPeople');
    // chained from the kept 04-03 figure, the answer equals the full computation
    expect((await usage('2025-04-04', '2025-04-05')).map((d) => d.linkedPeople)).toEqual([3, 2]);
    // and it is that kept figure the total starts from: a marked one shows through
    await redis.hset('usage:2025-04-03', 'links:linkedPeople', 103);
    await redis.hdel('usage:2025-04-04', 'links:linkedPeople');
    await redis.hdel('usage:2025-04-05', 'links:linkedPeople');
    try {
      expect((await usage('2025-04-04', '2025-04-05')).map((d) => d.linkedPeople)).toEqual([103, 102]);
    } finally {
      await redis.del('usage:2025-04-03', 'usage:2025-04-04', 'usage:2025-04-05');
    }
    // without kept figures the range is counted from device links again
    expect((await usage('2025-04-04', '2025-04-05')).map((d) => d.linkedPeople)).toEqual([3, 2]);
  });

  it('counts API calls per feature and snapshots active push devices into today', async () => {
    const recorder = t.app.get(ApiUsageRecorder);
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'GET', url: '/v1/notices' });
    await t.app.inject({ method: 'GET', url: '/v1/todos' });
    recorder.snapshotDevicesOnNextFlush();
    await recorder.flush();
    const today = jstDay(new Date());
    const [day] = await usage(today, today);
    expect(day.apiCalls.notices).toBe(3);
    expect(day.apiCalls.todos).toBe(1);
    expect(day.apiCalls).not.toHaveProperty('admin');
    expect(day.activePushDevices).toBeGreaterThanOrEqual(1);
  });

  it('refuses an inverted or over-long range with 400 VALIDATION_FAILED', async () => {
    for (const q of [
      'from=2025-04-05&to=2025-04-01',
      'from=2024-01-01&to=2025-04-01',
      'from=2025-4-1&to=2025-04-02',
      'from=2025-04-01',
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/admin/v1/stats/usage?${q}`,
        headers: asAdmin(),
      });
      expect({ q, status: res.statusCode }).toEqual({ q, status: 400 });
      expect(res.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
    }
  });

  it('exports devices as CSV that parses back, without any token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/export/devices.csv',
      headers: asAdmin(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const records: Record<string, string>[] = parse(res.body, {
      bom: true,
      columns: true,
      record_delimiter: '\r\n',
    });
    const mine = records.filter((r) => people.includes(r.userId));
    expect(mine).toHaveLength(4);
    expect(Object.keys(mine[0])).toEqual([
      'deviceLinkId',
      'userId',
      'platform',
      'locale',
      'pushRegistered',
      'pushEnabled',
      'linkedAt',
      'revokedAt',
      'revokedReason',
    ]);
    expect(mine.map((r) => r.revokedReason).sort()).toEqual(['', '', 'replaced', 'unlinked']);
    // the one link with a push registration (through the push module's reader); the others have none
    expect(mine.find((r) => r.linkedAt === '2025-04-01T09:30:00+09:00')).toMatchObject({
      userId: people[0],
      pushRegistered: 'true',
      pushEnabled: 'true',
    });
    expect(mine.filter((r) => r.pushRegistered === 'false' && r.pushEnabled === 'false')).toHaveLength(3);
    for (const secret of [
      pushToken.toString('hex'),
      pushToken.toString('base64'),
      sessionHash.toString('hex'),
      sessionHash.toString('base64'),
    ]) {
      expect(res.body).not.toContain(secret);
    }
    expect(res.body).not.toMatch(/token|device_?id/i);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
  });

  it('an unknown dataset is 404 NOT_FOUND', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/export/secrets.csv',
      headers: asAdmin(),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('NOT_FOUND');
  });
});
