import { deleteApp } from 'firebase-admin/app';
import type { Message, Messaging } from 'firebase-admin/messaging';
import { createFirebaseMessaging } from '../../src/upstream/fcm/firebase-messaging.factory.js';
import { DEV_FCM_ACCESS_TOKEN, startFcmSimulator, type FcmSimulator } from './fcm/fcm-simulator.js';

const PROJECT = 'myna-dev';

const message = (token: string): Message => ({
  token,
  notification: { title: 'お知らせ', body: '新しいお知らせがあります' },
  data: { notificationId: 'n-1', noticeId: 'ntc-1' },
  android: { priority: 'high' },
});

describe('FCM simulator through firebase-admin', () => {
  let sim: FcmSimulator;
  let messaging: Messaging;

  // the global fetch has no per-request CA; undici's Agent trusts the simulator's certificate
  const simFetch = async (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) => {
    const { fetch: undiciFetch, Agent } = await import('undici');
    return undiciFetch(`${sim.url}${path}`, { ...init, dispatcher: new Agent({ connect: { ca: sim.ca } }) });
  };
  const raw = (body: unknown, token = DEV_FCM_ACCESS_TOKEN) =>
    simFetch(`/v1/projects/${PROJECT}/messages:send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: PROJECT });
    messaging = createFirebaseMessaging({
      projectId: PROJECT,
      simulatorUrl: sim.url,
      caCert: sim.ca,
      appName: 'fcm-int-spec',
    });
  });
  afterAll(async () => {
    await deleteApp(messaging.app);
    await sim.close();
  });
  afterEach(() => sim.reset());

  it('maps each outcome to firebase-admin error codes in one sendEach', async () => {
    const tokens = ['ok-a', 'ok-b', 'dead-1', 'invalid-1', 'mismatch-1', 'flaky-1', 'internal-1'];
    const result = await messaging.sendEach(tokens.map(message));

    const byToken = Object.fromEntries(result.responses.map((r, i) => [tokens[i], r]));
    expect(byToken['ok-a']).toMatchObject({
      success: true,
      messageId: expect.stringMatching(/^projects\/myna-dev\/messages\//),
    });
    expect(byToken['ok-b'].success).toBe(true);
    expect(byToken['dead-1'].error?.code).toBe('messaging/registration-token-not-registered');
    expect(['messaging/invalid-argument', 'messaging/invalid-registration-token']).toContain(
      byToken['invalid-1'].error?.code,
    );
    expect(byToken['mismatch-1'].error?.code).toBe('messaging/mismatched-credential');
    // firebase-admin retries a 503 by itself: the second attempt succeeds
    expect(byToken['flaky-1'].success).toBe(true);
    expect(result.successCount).toBe(3);
    expect(byToken['internal-1'].error?.code).toBe('messaging/internal-error');
    expect(result.failureCount).toBe(4);

    const stats = sim.stats();
    expect(stats.tokens!['flaky-1']).toEqual({ count: 2, successes: 1, failures: { UNAVAILABLE: 1 } });
    expect(stats.tokens!['ok-a']).toEqual({ count: 1, successes: 1, failures: {} });
    expect(stats.tokens!['dead-1']).toEqual({ count: 1, successes: 0, failures: { NOT_FOUND: 1 } });
    expect(stats.duplicates).toEqual([]);
  });

  it('answers 429 QUOTA_EXCEEDED with Retry-After beyond the per-second quota', async () => {
    sim.configure({ quotaPerSecond: 3 });
    // wait for the start of a second so the burst falls in one quota window
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const tokens = Array.from({ length: 6 }, (_, i) => `quota-${i}`);
    const result = await messaging.sendEach(tokens.map(message));
    expect(result.successCount).toBe(3);
    const codes = result.responses.filter((r) => !r.success).map((r) => r.error?.code);
    expect(codes).toEqual(Array(3).fill('messaging/message-rate-exceeded'));

    const limited = await raw({ message: message('quota-x') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' },
        ],
      },
    });
  });

  it('reports duplicates: a token that got two successful messages', async () => {
    await messaging.send(message('twice'));
    await messaging.send(message('twice'));
    const report = sim.stats();
    expect(report.duplicates).toEqual(['twice']);
    expect(report).toMatchObject({ requests: 2, successes: 2, failures: 0, distinctTokens: 1 });
  });

  it('validates requests like FCM HTTP v1', async () => {
    const expectInvalid = async (body: unknown, message: RegExp): Promise<void> => {
      const res = await raw(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { status: string; message: string } };
      expect(json.error.status).toBe('INVALID_ARGUMENT');
      expect(json.error.message).toMatch(message);
    };
    await expectInvalid({ message: { notification: { title: 't' } } }, /Recipient of the message is not set/);
    await expectInvalid({ message: { token: 'a', topic: 'b' } }, /oneof field 'target' is already set/);
    await expectInvalid(
      { message: { token: 'a', data: { n: 1 } } },
      /message\.data\[0\]\.value.*TYPE_STRING/,
    );
    await expectInvalid({ message: { token: 'a', data: { from: 'x' } } }, /Invalid data payload key: from/);
    await expectInvalid({ message: { token: 'a' }, extra: 1 }, /Unknown name "extra"/);
    await expectInvalid({ message: { token: 'a', data: { big: 'x'.repeat(5000) } } }, /too big/);

    const dryRun = await raw({ message: { topic: 'news' }, validate_only: true });
    expect(await dryRun.json()).toEqual({ name: `projects/${PROJECT}/messages/fake_message_id` });
    expect(sim.stats().requests).toBe(0);
  });

  it('checks the bearer token and the project', async () => {
    const res = await raw({ message: { token: 'ok' } }, 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });

    const other = createFirebaseMessaging({
      projectId: 'someone-else',
      simulatorUrl: sim.url,
      caCert: sim.ca,
      appName: 'fcm-int-spec-other',
    });
    try {
      // firebase-admin maps PERMISSION_DENIED to the same code as SENDER_ID_MISMATCH: a sender must
      // not read it as "delete this token" when the whole project is misconfigured
      await expect(other.send(message('ok'))).rejects.toMatchObject({
        code: 'messaging/mismatched-credential',
      });
    } finally {
      await deleteApp(other.app);
    }
  });

  it('answers every send 503 UNAVAILABLE while down, and serves again when back', async () => {
    sim.configure({ down: true, retryAfterSeconds: 3 });
    try {
      const limited = await raw({ message: message('down-1') });
      expect(limited.status).toBe(503);
      expect(await limited.json()).toMatchObject({ error: { status: 'UNAVAILABLE' } });
      expect(sim.stats()).toMatchObject({ refused: 1, successes: 0 });
    } finally {
      sim.configure({ down: false });
    }
    expect((await raw({ message: message('down-1') })).status).toBe(200);
  });

  it('adds latency, and serves stats and settings at /__control', async () => {
    const control = simFetch;
    const put = await control('/__control', { method: 'PUT', body: JSON.stringify({ latencyMs: 120 }) });
    expect(await put.json()).toEqual({
      latencyMs: 120,
      quotaPerSecond: 0,
      retryAfterSeconds: 1,
      down: false,
    });
    const started = Date.now();
    await messaging.send(message('slow'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);

    const summary = await (await control('/__control/stats?summary=true')).json();
    expect(summary).toEqual({
      requests: 1,
      successes: 1,
      failures: 0,
      refused: 0,
      distinctTokens: 1,
      duplicates: [],
    });
    await control('/__control/reset', { method: 'POST' });
    expect(await (await control('/__control/stats')).json()).toMatchObject({ requests: 0, tokens: {} });
  });
});
