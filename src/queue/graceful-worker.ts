import { Worker, type Job, type Processor } from 'bullmq';

/** How long a closing worker waits for its blocking connection to come back after a Redis loss. */
export const RECONNECT_WAIT_MS = 5000;
/** How long a closing worker whose Redis is unreachable waits for the jobs in its hands. */
export const JOBS_IN_HAND_WAIT_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Status = string | undefined;

/**
 * The Worker every processor runs on (BullModule.workerClass, set in QueueModule). BullMQ's graceful
 * close disconnects the worker's blocking connection and waits for its 'end' event; after a Redis
 * loss that connection can sit socketless in ioredis' `reconnecting` backoff, where `disconnect()`
 * only clears the retry timer and no 'end' (and no rejection of the pending BZPOPMIN) ever comes:
 * Nest's shutdown then never finished. This close waits (bounded) for the connection to be live and
 * then closes gracefully; if Redis stays unreachable it waits for the jobs in hand to settle (each
 * job records its outcome in one PostgreSQL transaction, so a batch is recorded whole or not at all)
 * and closes without BullMQ's wait. A job whose completion could not reach Redis is found stalled
 * by another worker and is a no-op there (its batch is recorded).
 */
export class GracefulWorker<D = unknown, R = unknown, N extends string = string> extends Worker<D, R, N> {
  private readonly inHand: Set<Promise<unknown>>;

  constructor(name: string, processor: string | URL | null | Processor<D, R, N> | undefined, opts: never) {
    const inHand = new Set<Promise<unknown>>();
    const tracked =
      typeof processor === 'function'
        ? (job: Job<D, R, N>, token?: string, signal?: AbortSignal): Promise<R> => {
            const run = processor(job, token, signal);
            inHand.add(run);
            void run.then(
              () => inHand.delete(run),
              () => inHand.delete(run),
            );
            return run;
          }
        : processor;
    super(name, tracked, opts);
    this.inHand = inHand;
  }

  /** Jobs this worker is processing now. */
  get jobsInHand(): number {
    return this.inHand.size;
  }

  override async close(force = false): Promise<void> {
    if (force) return super.close(true);
    if (await this.blockingConnectionLive(RECONNECT_WAIT_MS)) return super.close(false);
    const deadline = Date.now() + JOBS_IN_HAND_WAIT_MS;
    while (this.inHand.size > 0 && Date.now() < deadline)
      await Promise.race([Promise.allSettled([...this.inHand]), sleep(100)]);
    return super.close(true);
  }

  private async blockingConnectionLive(waitMs: number): Promise<boolean> {
    const blocking = (this.backend as { blockingConnection?: { client: Promise<{ status: Status }> } })
      .blockingConnection;
    if (!blocking) return true;
    const client = await blocking.client;
    const deadline = Date.now() + waitMs;
    for (;;) {
      // 'end'/'wait' are no socket and no timer: BullMQ's disconnect handles them
      if (client.status !== 'reconnecting' && client.status !== 'connecting') return true;
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }
}
