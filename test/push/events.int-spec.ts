import { PushEventsService } from '../../src/modules/push';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { startLinkStack, type LinkStack } from '../account-link/account-link-stack';

describe('push registration and notification events', () => {
  let s: LinkStack;

  beforeAll(async () => {
    s = await startLinkStack();
  });
  afterAll(() => s.close());

  const put = async (device: LinkedDevice, body: unknown) =>
    s.inject({
      method: 'PUT',
      url: '/v1/devices/current/push',
      headers: {
        ...(await device.auth('PUT', '/v1/devices/current/push')),
        'content-type': 'application/json',
      },
      payload: JSON.stringify(body),
    });
  const event = async (device: LinkedDevice, notificationId: string, type: string) =>
    s.inject({
      method: 'POST',
      url: `/v1/notifications/${notificationId}/events`,
      headers: {
        ...(await device.auth('POST', `/v1/notifications/${notificationId}/events`)),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ type }),
    });

  it('PUT /v1/devices/current/push registers, updates and forgets the token', async () => {
    const device = await linkDevice(s.app, 'sato-hanako');
    expect((await put(device, { pushToken: 'tok-1', enabled: true, locale: 'en' })).statusCode).toBe(204);
    let rows = await s.db.query(`SELECT enabled, locale FROM push_registrations WHERE person_id = $1`, [
      device.userId,
    ]);
    expect(rows.rows).toEqual([{ enabled: true, locale: 'en' }]);
    expect((await put(device, { pushToken: 'tok-2', enabled: false })).statusCode).toBe(204);
    rows = await s.db.query(`SELECT enabled, locale FROM push_registrations WHERE person_id = $1`, [
      device.userId,
    ]);
    expect(rows.rows).toEqual([{ enabled: false, locale: 'en' }]);
    expect((await put(device, { pushToken: null, enabled: true })).statusCode).toBe(204);
    rows = await s.db.query(`SELECT 1 FROM push_registrations WHERE person_id = $1`, [device.userId]);
    expect(rows.rowCount).toBe(0);
    const bad = await put(device, { pushToken: 'x', enabled: true, extra: 1 });
    expect(bad.statusCode).toBe(400);
    const anon = await s.inject({ method: 'PUT', url: '/v1/devices/current/push', payload: {} });
    expect(anon.statusCode).toBe(401);
  });

  it('counts received/opened once per person and type; 404 when never sent to this person', async () => {
    const device = await linkDevice(s.app, 'suzuki-ichiro');
    const other = await linkDevice(s.app, 'family-member');
    const campaign = await s.db.query<{ id: string }>(
      `INSERT INTO push_campaigns (notification_id, notice_id, ttl_seconds, message, audience_type, status, sent)
       VALUES ('ev-1', 'ntc-1', 60, '{"title":{"ja":"t"},"body":{"ja":"b"}}', 'all', 'completed', 1) RETURNING id`,
    );
    const campaignId = campaign.rows[0].id;
    await s.db.query(
      `INSERT INTO push_deliveries (campaign_id, person_id, device_link_id) VALUES ($1, $2, gen_random_uuid())`,
      [campaignId, device.userId],
    );

    for (let i = 0; i < 3; i++) {
      expect((await event(device, 'ev-1', 'received')).statusCode).toBe(204);
      expect((await event(device, 'ev-1', 'opened')).statusCode).toBe(204);
    }
    const counters = await s.db.query(`SELECT received, opened FROM push_campaigns WHERE id = $1`, [
      campaignId,
    ]);
    expect(counters.rows).toEqual([{ received: '1', opened: '1' }]);
    const logged = await s.db.query(`SELECT type FROM push_events WHERE campaign_id = $1 ORDER BY type`, [
      campaignId,
    ]);
    expect(logged.rows).toEqual([{ type: 'opened' }, { type: 'received' }]);

    const notMine = await event(other, 'ev-1', 'opened');
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().code).toBe('NOT_FOUND');
    expect((await event(device, 'no-such', 'opened')).statusCode).toBe(404);
    expect((await event(device, 'ev-1', 'clicked')).statusCode).toBe(400);
  });

  it('reading the notice detail after a push that carried it counts as opened, once (API.md)', async () => {
    const device = await linkDevice(s.app, 'tanaka-many');
    const list = await s.as(device, { method: 'GET', url: '/v1/notices?limit=2' });
    const [pushed, notPushed] = list.json<{ items: { id: string }[] }>().items.map((n) => n.id);
    const campaign = await s.db.query<{ id: string }>(
      `INSERT INTO push_campaigns (notification_id, notice_id, ttl_seconds, message, audience_type, status, sent)
       VALUES ('ev-read', $1, 60, '{"title":{"ja":"t"},"body":{"ja":"b"}}', 'all', 'completed', 1) RETURNING id`,
      [pushed],
    );
    const campaignId = campaign.rows[0].id;
    await s.db.query(
      `INSERT INTO push_deliveries (campaign_id, person_id, device_link_id) VALUES ($1, $2, gen_random_uuid())`,
      [campaignId, device.userId],
    );

    const events = s.app.app.get(PushEventsService);
    for (const id of [pushed, pushed, notPushed]) {
      expect((await s.as(device, { method: 'GET', url: `/v1/notices/${id}` })).statusCode).toBe(200);
    }
    await events.flushNoticeReads();
    expect((await s.as(device, { method: 'GET', url: `/v1/notices/${pushed}` })).statusCode).toBe(200);
    await events.flushNoticeReads();

    const counters = await s.db.query(`SELECT opened FROM push_campaigns WHERE id = $1`, [campaignId]);
    expect(counters.rows).toEqual([{ opened: '1' }]);
    const logged = await s.db.query(`SELECT type, source FROM push_events WHERE campaign_id = $1`, [
      campaignId,
    ]);
    expect(logged.rows).toEqual([{ type: 'opened', source: 'notice_detail' }]);
    const delivery = await s.db.query(
      `SELECT opened_at IS NOT NULL AS opened FROM push_deliveries WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(delivery.rows).toEqual([{ opened: true }]);
  });
});
