/**
 * What a per-token FCM answer means for the sender (firebase-admin error codes):
 * - `dead`: the token will never work again → delete the registration;
 * - `retry`: transient (FCM unavailable, internal, quota, network) → retry this token with backoff;
 * - `failed`: this message cannot be delivered, the token may be fine → count as failed;
 * - `config`: our credentials or project are wrong → pause sending, never delete tokens.
 */
export type TokenOutcome = 'dead' | 'retry' | 'failed' | 'config';

const DEAD = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  'messaging/invalid-argument',
  // SENDER_ID_MISMATCH as a per-token answer: the token belongs to another sender
  'messaging/mismatched-credential',
]);
const RETRY = new Set([
  'messaging/server-unavailable',
  'messaging/internal-error',
  'messaging/message-rate-exceeded',
  'messaging/device-message-rate-exceeded',
  'messaging/quota-exceeded',
  'messaging/unknown-error',
  'app/network-error',
  'app/network-timeout',
]);
const CONFIG = new Set([
  'messaging/authentication-error',
  'app/invalid-credential',
  'messaging/invalid-recipient',
  'messaging/third-party-auth-error',
]);

export function classifyFcmError(code: string | undefined): TokenOutcome {
  if (!code) return 'retry';
  if (DEAD.has(code)) return 'dead';
  if (RETRY.has(code)) return 'retry';
  if (CONFIG.has(code)) return 'config';
  return 'failed';
}

/**
 * `mismatched-credential` for every token of a batch is not about the tokens: the service account
 * does not belong to the project (a configuration fault).
 */
export function isBatchConfigurationFault(codes: (string | undefined)[]): boolean {
  if (codes.length === 0) return false;
  if (codes.some((c) => c !== undefined && classifyFcmError(c) === 'config')) return true;
  return codes.length > 1 && codes.every((c) => c === 'messaging/mismatched-credential');
}

/** FCM throttling us (429): the token is fine and so is FCM; we send too fast. Retried after Retry-After. */
const THROTTLED = new Set([
  'messaging/message-rate-exceeded',
  'messaging/device-message-rate-exceeded',
  'messaging/quota-exceeded',
]);

export function isThrottled(code: string | undefined): boolean {
  return code !== undefined && THROTTLED.has(code);
}

/**
 * Every token of a batch answered with a transient error that is not throttling (503, 500, network):
 * FCM itself is unwell, not these tokens. The batch counts as one failure of the upstream (breaker).
 */
export function isBatchOutage(codes: (string | undefined)[]): boolean {
  return (
    codes.length > 0 &&
    codes.every((c) => c !== undefined && classifyFcmError(c) === 'retry' && !isThrottled(c))
  );
}
