import type { Message } from 'firebase-admin/messaging';
import type { FcmSender, TokenResult } from '../../../upstream/fcm/fcm.client.js';
import type { SendableRegistration } from '../registrations/push-registration.repository.js';

export interface SendResult {
  sent: SendableRegistration[];
  dead: SendableRegistration[];
  failed: SendableRegistration[];
  retries: number;
  /** token answers that were 429 throttling */
  throttled: number;
}

export interface BatchSenderOptions {
  /** attempts per token for transient errors (503, 500, network) */
  maxAttempts: number;
  /**
   * attempts per token while FCM throttles us (429 with Retry-After): throttling says nothing about
   * the token, so it has a budget of its own, large enough to ride out a quota window
   */
  maxThrottledAttempts: number;
  /** told each time FCM throttles, with the wait it asked for, so every worker can slow down */
  onThrottle?: (retryAfterMs: number) => Promise<void> | void;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Sends one batch: every token once, then only the tokens that failed retryably, again, with full
 * jitter backoff (at least FCM's Retry-After). A token throttled (429) is retried on its own budget
 * and `onThrottle` hears of it. Errors of sendEach itself (breaker open, FCM down, configuration
 * fault) in the first round propagate: nothing was delivered, and the job is tried again later by
 * the queue. In a retry round they spend one transient attempt of each pending token instead: the
 * tokens already delivered in earlier rounds must be recorded, never sent again with the batch.
 */
export async function sendBatch(
  fcm: FcmSender,
  regs: SendableRegistration[],
  build: (r: SendableRegistration) => Message,
  o: BatchSenderOptions,
): Promise<SendResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const result: SendResult = { sent: [], dead: [], failed: [], retries: 0, throttled: 0 };
  // attempts so far per token: [transient, throttled]
  const tries = new Map<SendableRegistration, [number, number]>(regs.map((r) => [r, [0, 0]]));
  let pending = regs;
  for (let round = 1; pending.length > 0; round++) {
    const answers: TokenResult[] =
      round === 1
        ? await fcm.sendEach(pending.map(build))
        : await fcm
            .sendEach(pending.map(build), { outageCheck: false })
            .catch(() => pending.map((): TokenResult => ({ outcome: 'retry' })));
    const retry: SendableRegistration[] = [];
    let retryAfterMs = 0;
    let throttledNow = 0;
    answers.forEach((a, i) => {
      const reg = pending[i];
      const t = tries.get(reg)!;
      if (a.outcome === 'sent') result.sent.push(reg);
      else if (a.outcome === 'dead') result.dead.push(reg);
      else if (a.outcome === 'retry' && a.throttled && ++t[1] < o.maxThrottledAttempts) {
        throttledNow += 1;
        retry.push(reg);
        retryAfterMs = Math.max(retryAfterMs, (a.retryAfterSeconds ?? 1) * 1000);
      } else if (a.outcome === 'retry' && !a.throttled && ++t[0] < o.maxAttempts) {
        retry.push(reg);
        retryAfterMs = Math.max(retryAfterMs, (a.retryAfterSeconds ?? 0) * 1000);
      } else result.failed.push(reg);
    });
    if (retry.length === 0) break;
    result.retries += retry.length;
    result.throttled += throttledNow;
    if (throttledNow > 0) await o.onThrottle?.(retryAfterMs);
    const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (round - 1));
    await sleep(Math.max(retryAfterMs, Math.floor(random() * backoff)));
    pending = retry;
  }
  return result;
}
