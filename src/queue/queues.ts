/** Every BullMQ queue, its job names and payloads, declared once. */
export const TOKEN_REVOCATION_QUEUE = 'token-revocation';
/** One job per campaign (and the periodic sweep): walks the audience and enqueues send batches. */
export const PUSH_FANOUT_QUEUE = 'push-fanout';
/** One job per batch of ≤ 500 tokens, id `<campaignId>:<batchNo>`; globally rate limited. */
export const PUSH_SEND_QUEUE = 'push-send';

/** All queues, for metrics (depth and age are published per queue). */
export const ALL_QUEUES = [TOKEN_REVOCATION_QUEUE, PUSH_FANOUT_QUEUE, PUSH_SEND_QUEUE] as const;

export interface TokenRevocationJob {
  /** token_revocations.id: the row holds the encrypted token, the job only points at it. */
  revocationId: string;
}

/** Job names of the token-revocation queue: one revocation, or the periodic sweep of the outbox. */
export const TokenRevocationJobName = { revoke: 'revoke', sweep: 'sweep' } as const;

/** How often the outbox is swept for revocations whose jobs were lost. */
export const REVOCATION_SWEEP_EVERY_MS = 5 * 60_000;

/** Job names of the push-fanout queue. */
export const PushFanoutJobName = { fanout: 'fanout', sweep: 'sweep' } as const;

/** push-fanout `fanout`: the campaign row holds everything, including the resumable cursor. */
export interface PushFanoutJob {
  campaignId: string;
}

/** Job names of the push-send queue. */
export const PushSendJobName = { send: 'send' } as const;

/** push-send `send`: the push_batches row holds the device link ids; tokens never enter Redis. */
export interface PushSendJob {
  campaignId: string;
  batchNo: number;
}

/** How often unfinished campaigns are swept for fan-out jobs that were lost. */
export const PUSH_SWEEP_EVERY_MS = 60_000;
