import type { Message } from 'firebase-admin/messaging';
import {
  classifyFcmError,
  isBatchConfigurationFault,
  isBatchOutage,
  isThrottled,
} from '../../../upstream/fcm/fcm-outcome.js';
import type { FcmSender, SendEachOptions, TokenResult } from '../../../upstream/fcm/fcm.client.js';
import type { SendableRegistration } from '../registrations/push-registration.repository.js';
import { sendBatch } from './batch-sender.js';

const reg = (token: string): SendableRegistration => ({
  deviceLinkId: `dl-${token}`,
  personId: `p-${token}`,
  token,
  locale: 'ja',
});

/** A fake FCM: each token answers with the codes listed for it, in order, then success. */
function fakeFcm(script: Record<string, (string | undefined)[]>, retryAfter?: number) {
  const calls: string[][] = [];
  const seen = new Map<string, number>();
  const sender: FcmSender = {
    paused: false,
    sendEach: async (messages: Message[]) => {
      const tokens = messages.map((m) => (m as { token: string }).token);
      calls.push(tokens);
      return tokens.map((tok): TokenResult => {
        const n = seen.get(tok) ?? 0;
        seen.set(tok, n + 1);
        const code = script[tok]?.[n];
        if (!code) return { outcome: 'sent' };
        return {
          outcome: classifyFcmError(code),
          code,
          throttled: isThrottled(code) || undefined,
          retryAfterSeconds: retryAfter,
        };
      });
    },
  };
  return { sender, calls };
}

const options = (sleeps: number[], throttles: number[] = []) => ({
  maxAttempts: 3,
  maxThrottledAttempts: 5,
  onThrottle: (ms: number) => {
    throttles.push(ms);
  },
  baseDelayMs: 100,
  maxDelayMs: 1000,
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
  random: () => 0.5,
});

describe('FCM error codes → sender decisions', () => {
  it.each([
    ['messaging/registration-token-not-registered', 'dead'],
    ['messaging/invalid-registration-token', 'dead'],
    ['messaging/invalid-argument', 'dead'],
    ['messaging/mismatched-credential', 'dead'],
    ['messaging/server-unavailable', 'retry'],
    ['messaging/internal-error', 'retry'],
    ['messaging/message-rate-exceeded', 'retry'],
    ['messaging/device-message-rate-exceeded', 'retry'],
    ['messaging/quota-exceeded', 'retry'],
    ['messaging/unknown-error', 'retry'],
    ['app/network-error', 'retry'],
    ['app/network-timeout', 'retry'],
    ['messaging/authentication-error', 'config'],
    ['app/invalid-credential', 'config'],
    ['messaging/third-party-auth-error', 'config'],
    ['messaging/invalid-recipient', 'config'],
    ['messaging/payload-size-limit-exceeded', 'failed'],
    ['messaging/invalid-apns-credentials', 'failed'],
  ])('%s → %s', (code, outcome) => {
    expect(classifyFcmError(code)).toBe(outcome);
  });

  it('mismatched-credential for every token of a batch is a configuration fault; for one token it is not', () => {
    const all = Array(3).fill('messaging/mismatched-credential');
    expect(isBatchConfigurationFault(all)).toBe(true);
    expect(isBatchConfigurationFault(['messaging/mismatched-credential', undefined])).toBe(false);
    expect(isBatchConfigurationFault(['messaging/authentication-error'])).toBe(true);
  });

  it('every token 503/500/network is an outage of FCM; throttling or one healthy answer is not', () => {
    expect(isBatchOutage(['messaging/server-unavailable', 'app/network-error'])).toBe(true);
    expect(isBatchOutage(['messaging/internal-error'])).toBe(true);
    expect(isBatchOutage(['messaging/server-unavailable', undefined])).toBe(false);
    expect(isBatchOutage(['messaging/message-rate-exceeded', 'messaging/server-unavailable'])).toBe(false);
    expect(isBatchOutage(['messaging/registration-token-not-registered'])).toBe(false);
    expect(isBatchOutage([])).toBe(false);
  });
});

describe('sendBatch', () => {
  it('keeps the totals exact and retries only the tokens that failed retryably', async () => {
    const script = {
      dead: ['messaging/registration-token-not-registered'],
      flaky: ['messaging/server-unavailable'],
      stubborn: ['messaging/internal-error', 'messaging/internal-error', 'messaging/internal-error'],
      toolarge: ['messaging/payload-size-limit-exceeded'],
    };
    const { sender, calls } = fakeFcm(script);
    const regs = ['ok1', 'dead', 'flaky', 'stubborn', 'toolarge', 'ok2'].map(reg);
    const sleeps: number[] = [];
    const r = await sendBatch(sender, regs, (x) => ({ token: x.token }), options(sleeps));

    expect(r.sent.map((x) => x.token).sort()).toEqual(['flaky', 'ok1', 'ok2']);
    expect(r.dead.map((x) => x.token)).toEqual(['dead']);
    expect(r.failed.map((x) => x.token).sort()).toEqual(['stubborn', 'toolarge']);
    expect(r.sent.length + r.dead.length + r.failed.length).toBe(regs.length);
    expect(calls).toEqual([
      ['ok1', 'dead', 'flaky', 'stubborn', 'toolarge', 'ok2'],
      ['flaky', 'stubborn'],
      ['stubborn'],
    ]);
    expect(sleeps).toEqual([50, 100]); // full jitter (random 0.5) of 100, 200
  });

  it('waits at least FCM’s Retry-After before retrying, and tells every worker to slow down', async () => {
    const { sender } = fakeFcm({ q: ['messaging/message-rate-exceeded'] }, 7);
    const sleeps: number[] = [];
    const throttles: number[] = [];
    const r = await sendBatch(sender, [reg('q')], (x) => ({ token: x.token }), options(sleeps, throttles));
    expect(r.sent).toHaveLength(1);
    expect(r.throttled).toBe(1);
    expect(sleeps).toEqual([7000]);
    expect(throttles).toEqual([7000]);
  });

  it('throttling has its own budget: a token throttled more often than maxAttempts still goes out', async () => {
    const quota = 'messaging/quota-exceeded';
    const { sender, calls } = fakeFcm(
      { q: [quota, quota, quota, quota], s: ['messaging/internal-error'] },
      1,
    );
    const r = await sendBatch(sender, [reg('q'), reg('s')], (x) => ({ token: x.token }), options([]));
    expect(r.sent.map((x) => x.token).sort()).toEqual(['q', 's']);
    expect(r.failed).toEqual([]);
    expect(calls).toHaveLength(5); // 4 throttled answers (under maxThrottledAttempts 5), then sent
  });

  it('counts a token as failed once throttling outlasts its budget', async () => {
    const quota = 'messaging/quota-exceeded';
    const { sender } = fakeFcm({ q: Array(5).fill(quota) }, 1);
    const r = await sendBatch(sender, [reg('q')], (x) => ({ token: x.token }), options([]));
    expect(r.failed.map((x) => x.token)).toEqual(['q']);
    expect(r.throttled).toBe(4);
  });

  it('lets a failure of sendEach itself propagate (the job is retried, nothing counted)', async () => {
    const sender: FcmSender = {
      paused: true,
      sendEach: () => Promise.reject(new Error('circuit open')),
    };
    await expect(sendBatch(sender, [reg('a')], (x) => ({ token: x.token }), options([]))).rejects.toThrow(
      'circuit open',
    );
  });

  /** Token `u` answers UNAVAILABLE every time, the others succeed; `before` sees each call first. */
  const oneUnavailable = (before: (options?: SendEachOptions) => void): FcmSender => ({
    paused: false,
    sendEach: async (messages, o) => {
      before(o);
      return messages.map((m): TokenResult =>
        (m as { token: string }).token === 'u'
          ? { outcome: 'retry', code: 'messaging/unavailable' }
          : { outcome: 'sent' },
      );
    },
  });

  it('does not take a retry round whose every token fails for an FCM outage', async () => {
    const options_: (boolean | undefined)[] = [];
    const sender = oneUnavailable((o) => options_.push(o?.outageCheck));
    const r = await sendBatch(sender, [reg('a'), reg('u')], (x) => ({ token: x.token }), options([]));
    expect(r.sent.map((x) => x.token)).toEqual(['a']);
    expect(r.failed.map((x) => x.token)).toEqual(['u']);
    // the first round may report an outage; the retries of the one failing token may not
    expect(options_).toEqual([undefined, false, false]);
  });

  it('keeps the tokens delivered in the first round when sendEach itself fails in a retry round', async () => {
    let round = 0;
    const sender = oneUnavailable(() => {
      round += 1;
      if (round > 1) throw new Error('circuit open');
    });
    const r = await sendBatch(sender, [reg('a'), reg('u')], (x) => ({ token: x.token }), options([]));
    expect(r.sent.map((x) => x.token)).toEqual(['a']);
    expect(r.failed.map((x) => x.token)).toEqual(['u']);
    expect(round).toBe(3); // maxAttempts 3: the first answer and two failed retry rounds
  });
});
