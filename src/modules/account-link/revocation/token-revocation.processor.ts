import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppLogger } from '../../../common/logging/app-logger.js';
import {
  TOKEN_REVOCATION_QUEUE,
  TokenRevocationJobName,
  type TokenRevocationJob,
} from '../../../queue/queues.js';
import { OidcClient } from '../../../upstream/oidc/oidc.client.js';
import { LinkRepository } from '../link.repository.js';
import { TokenRevocationQueue } from './token-revocation.queue.js';

/**
 * Revokes a refresh token at the provider, then deletes its outbox row. Idempotent: a job whose
 * row is gone has nothing left to do. A provider outage throws, and BullMQ retries with backoff.
 */
@Processor(TOKEN_REVOCATION_QUEUE, { concurrency: 4 })
@Injectable()
export class TokenRevocationProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly audit: AppLogger;

  constructor(
    private readonly oidc: OidcClient,
    private readonly links: LinkRepository,
    private readonly queue: TokenRevocationQueue,
    logger: AppLogger,
  ) {
    super();
    this.audit = logger.forContext('audit');
  }

  /** Re-enqueues revocations whose jobs were lost (Redis restarted, enqueue failed), now and periodically. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    await this.queue.scheduleSweep();
    this.queue.onRedisReturn(async () => {
      await this.queue.scheduleSweep();
      await this.sweep();
    });
  }

  async process(job: Job<TokenRevocationJob>): Promise<void> {
    if (job.name === TokenRevocationJobName.sweep) return this.sweep();
    const { revocationId } = job.data;
    const refreshToken = await this.links.claimRevocation(revocationId);
    if (refreshToken === null) return;
    const advertised = await this.oidc.revoke(refreshToken);
    await this.links.completeRevocation(revocationId);
    this.audit.info(
      {
        event: advertised ? 'token.revoked' : 'token.revocation_unsupported',
        revocationId,
        attempt: job.attemptsMade + 1,
      },
      advertised ? 'refresh token revoked at the provider' : 'provider advertises no revocation endpoint',
    );
  }

  private async sweep(): Promise<void> {
    await this.queue.enqueue(await this.links.pendingRevocations(10_000));
  }
}
