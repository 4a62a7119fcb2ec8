/** Every BullMQ queue, its job names and payloads, declared once. */
export const TOKEN_REVOCATION_QUEUE = 'token-revocation';

/** All queues, for metrics (depth and age are published per queue). */
export const ALL_QUEUES = [TOKEN_REVOCATION_QUEUE] as const;

export interface TokenRevocationJob {
  /** token_revocations.id: the row holds the encrypted token, the job only points at it. */
  revocationId: string;
}

/** Job names of the token-revocation queue: one revocation, or the periodic sweep of the outbox. */
export const TokenRevocationJobName = { revoke: 'revoke', sweep: 'sweep' } as const;

/** How often the outbox is swept for revocations whose jobs were lost. */
export const REVOCATION_SWEEP_EVERY_MS = 5 * 60_000;
