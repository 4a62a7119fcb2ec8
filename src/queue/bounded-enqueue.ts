/**
 * How long a request waits for BullMQ to accept a job. BullMQ's connections wait for Redis forever
 * (`maxRetriesPerRequest: null`, offline queue), so a producer on a request path must not await
 * them unbounded (API.md: the local unlink never waits on the queue). Every such producer writes
 * its durable record (an outbox row) first and lets a sweep recover what did not get enqueued.
 */
export const ENQUEUE_DEADLINE_MS = 500;

export class EnqueueTimeoutError extends Error {
  constructor(ms: number) {
    super(`queue did not accept the job within ${ms} ms`);
    this.name = 'EnqueueTimeoutError';
  }
}

/**
 * Resolves with the enqueue's result, or rejects with EnqueueTimeoutError after `ms`. The enqueue
 * itself is not cancelled: it may still land when Redis returns (jobs carry deterministic ids, so
 * the sweep cannot double them).
 */
export async function enqueueWithin<T>(enqueue: Promise<T>, ms: number = ENQUEUE_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  enqueue.catch(() => undefined); // a late failure of an abandoned enqueue is not unhandled
  try {
    return await Promise.race([
      enqueue,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new EnqueueTimeoutError(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
