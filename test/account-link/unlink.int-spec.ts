import { linkDevice } from '../support/link-helper';
import { startLinkStack, type LinkStack } from './account-link-stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('unlink (連携停止)', () => {
  let s: LinkStack;

  beforeAll(async () => {
    s = await startLinkStack();
  });
  afterAll(async () => {
    s.oidc.resetFaults();
    await s.close();
  });

  it('ends the session, deletes tokens and push token, and revokes at the provider', async () => {
    const device = await linkDevice(s.app, 'sato-hanako');
    s.oidc.resetStats();
    expect(await pendingFor(s, device.userId)).toHaveLength(0);
    const res = await s.as(device, { method: 'DELETE', url: '/v1/link' });
    expect(res.statusCode).toBe(204);
    expect((await s.as(device, { method: 'GET', url: '/v1/link' })).statusCode).toBe(401);
    const tokens = await s.db.query(`SELECT 1 FROM provider_tokens WHERE person_id = $1`, [device.userId]);
    expect(tokens.rowCount).toBe(0);
    const link = await s.db.query(
      `SELECT d.revoked_reason, r.token_enc AS push_token_enc FROM device_links d LEFT JOIN push_registrations r ON r.device_link_id = d.id WHERE d.person_id = $1`,
      [device.userId],
    );
    expect(link.rows).toEqual([{ revoked_reason: 'unlinked', push_token_enc: null }]);
    await waitFor(async () => (await pendingFor(s, device.userId)).length === 0);
    expect(s.oidc.stats().revocation).toBe(1);
    await waitFor(async () => (await pendingFor(s, device.userId)).length === 0);
  });

  it('answers 204 at once while the provider is down, and revokes once it returns', async () => {
    const device = await linkDevice(s.app, 'suzuki-ichiro');
    s.oidc.resetStats();
    s.oidc.setFaults({ down: '503' });
    const started = Date.now();
    const res = await s.as(device, { method: 'DELETE', url: '/v1/link' });
    expect(res.statusCode).toBe(204);
    expect(Date.now() - started).toBeLessThan(1000);
    await sleep(1500);
    const pending = await pendingFor(s, device.userId);
    expect(pending).toHaveLength(1);
    expect(pending[0].attempts).toBeGreaterThanOrEqual(1);
    expect(s.oidc.stats().revocation).toBe(0); // refused with 503 before reaching the endpoint

    s.oidc.resetFaults();
    await waitFor(async () => (await pendingFor(s, device.userId)).length === 0, 20000);
    expect(s.oidc.stats().revocation).toBe(1);
    expect(s.app.logs.some((l) => l.event === 'token.revoked')).toBe(true);
  });
});

async function pendingFor(s: LinkStack, personId: string): Promise<{ attempts: number }[]> {
  return (await s.db.query(`SELECT attempts FROM token_revocations WHERE person_id = $1`, [personId])).rows;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}
