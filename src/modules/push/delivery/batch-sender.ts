import type { Message } from 'firebase-admin/messaging';
import type { FcmSender } from '../../../upstream/fcm/fcm.client.js';
import type { SendableRegistration } from '../registrations/push-registration.repository.js';

export interface SendResult {
  sent: SendableRegistration[];
  dead: SendableRegistration[];
  failed: SendableRegistration[];
  retries: number;
}

export interface BatchSenderOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Sends one batch: every token once, then only the tokens that failed retryably, again, with full
 * jitter backoff (at least FCM's Retry-After). Errors of sendEach itself (breaker open, network,
 * configuration fault) propagate: the job is retried later by the queue.
 */
export async function sendBatch(
  fcm: FcmSender,
  regs: SendableRegistration[],
  build: (r: SendableRegistration) => Message,
  o: BatchSenderOptions,
): Promise<SendResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const result: SendResult = { sent: [], dead: [], failed: [], retries: 0 };
  let pending = regs;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const answers = await fcm.sendEach(pending.map(build));
    const retry: SendableRegistration[] = [];
    let retryAfterMs = 0;
    answers.forEach((a, i) => {
      const reg = pending[i];
      if (a.outcome === 'sent') result.sent.push(reg);
      else if (a.outcome === 'dead') result.dead.push(reg);
      else if (a.outcome === 'retry' && attempt < o.maxAttempts) {
        retry.push(reg);
        retryAfterMs = Math.max(retryAfterMs, (a.retryAfterSeconds ?? 0) * 1000);
      } else result.failed.push(reg);
    });
    if (retry.length === 0) break;
    result.retries += retry.length;
    const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.max(retryAfterMs, Math.floor(random() * backoff)));
    pending = retry;
  }
  return result;
}
