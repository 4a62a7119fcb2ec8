/** Every BullMQ queue, its job names and payloads, declared once. */
export const TOKEN_REVOCATION_QUEUE = 'token-revocation';

export interface TokenRevocationJob {
  /** token_revocations.id: the row holds the encrypted token, the job only points at it. */
  revocationId: string;
}
