import { createHash } from 'node:crypto';

/** Operator tokens of the admin tests: `alice` has two (rotation), `bob` one. */
export const ADMIN_TOKEN = 'alice-token-2026-current';
export const ADMIN_TOKEN_OLD = 'alice-token-2026-previous';
export const BOB_TOKEN = 'bob-token-2026';

const sha = (t: string): string => createHash('sha256').update(t).digest('hex');

export const adminEnv: Record<string, string> = {
  ADMIN_TOKENS: [`alice:${sha(ADMIN_TOKEN)}`, `alice:${sha(ADMIN_TOKEN_OLD)}`, `bob:${sha(BOB_TOKEN)}`].join(
    ',',
  ),
};

export const asAdmin = (token = ADMIN_TOKEN): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});
