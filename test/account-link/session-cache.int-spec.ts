import { Metrics } from '../../src/metrics/metrics';
import { DpopClient } from '../support/dpop-client';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { startLinkStack, type LinkStack } from './account-link-stack';

/**
 * SessionRepository keeps the sessions it read for a while (ADR 0006, "Cost"): these tests show it
 * is used, and that a revocation in one task still ends the session in the other at once.
 */
describe('session cache: revocation stays immediate across tasks', () => {
  let s: LinkStack;

  beforeAll(async () => {
    s = await startLinkStack({ apps: 2 });
  });
  afterAll(async () => {
    await s.close();
  });

  async function cacheHits(appIndex: number): Promise<number> {
    const metric = await s.apps[appIndex].app.get(Metrics).sessionLookups.get();
    return metric.values.find((v) => v.labels.source === 'cache')?.value ?? 0;
  }

  const getLink = (device: LinkedDevice, appIndex: number) =>
    s.as(device, { method: 'GET', url: '/v1/link' }, appIndex);

  /** Task 1 has the session in its cache: its second call is answered from it. */
  async function cachedOnSecondTask(device: LinkedDevice): Promise<void> {
    expect((await getLink(device, 1)).statusCode).toBe(200);
    const before = await cacheHits(1);
    expect((await getLink(device, 1)).statusCode).toBe(200);
    expect(await cacheHits(1)).toBe(before + 1);
  }

  it('an unlink in one task ends the session the other task has cached, on its very next call', async () => {
    const device = await linkDevice(s.app, 'sato-hanako');
    await cachedOnSecondTask(device);

    expect((await s.as(device, { method: 'DELETE', url: '/v1/link' }, 0)).statusCode).toBe(204);
    const after = await getLink(device, 1);
    expect([after.statusCode, after.json().code]).toEqual([401, 'SESSION_REQUIRED']);
  });

  it("linking the person's new phone ends the old phone's cached session in the other task at once", async () => {
    const oldPhone = await linkDevice(s.app, 'suzuki-ichiro');
    await cachedOnSecondTask(oldPhone);

    const newPhone = await linkDevice(s.app, 'suzuki-ichiro', { key: await DpopClient.create() });
    const old = await getLink(oldPhone, 1);
    expect([old.statusCode, old.json().code]).toEqual([401, 'SESSION_REQUIRED']);
    expect((await getLink(newPhone, 1)).statusCode).toBe(200);
  });

  it('a cached session still needs a proof by its key and a fresh jti', async () => {
    const device = await linkDevice(s.app, 'tanaka-many');
    await cachedOnSecondTask(device);

    const headers = await device.auth('GET', '/v1/link');
    const inject = (appIndex: number) => s.inject({ method: 'GET', url: '/v1/link', headers }, appIndex);
    expect((await inject(1)).statusCode).toBe(200);
    expect((await inject(1)).json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });

    const thief = await DpopClient.create();
    const stolen = await s.injectDpop(thief, { method: 'GET', url: '/v1/link' }, device.sessionToken, 1);
    expect(stolen.json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });
  });
});
