import type { FastifyReply, FastifyRequest } from 'fastify';
import { sleep } from '../shared/http.js';

export interface MynaportalFaults {
  /** added before every API answer */
  latencyMs: number;
  /** share of API requests (0..1) answered 500 */
  errorRate: number;
  /** every API request answered with this status (and a JSON error body) */
  status: number | null;
  /** `refuse`: the connection is dropped at once; `hang`: the request is never answered */
  down: 'refuse' | 'hang' | null;
  /** 200 with a truncated, unparseable JSON body */
  garbage: boolean;
}

export const noFaults = (): MynaportalFaults => ({
  latencyMs: 0,
  errorRate: 0,
  status: null,
  down: null,
  garbage: false,
});

/** Validates a partial update from `PUT /__control`; throws a message naming the bad field. */
export function mergeFaults(current: MynaportalFaults, patch: Record<string, unknown>): MynaportalFaults {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'latencyMs':
        if (typeof value !== 'number' || value < 0) throw new Error('latencyMs must be a number ≥ 0');
        next.latencyMs = value;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || value < 0 || value > 1) throw new Error('errorRate must be in 0..1');
        next.errorRate = value;
        break;
      case 'status':
        if (
          value !== null &&
          (!Number.isInteger(value) || (value as number) < 200 || (value as number) > 599)
        ) {
          throw new Error('status must be null or an HTTP status');
        }
        next.status = value as number | null;
        break;
      case 'down':
        if (value !== null && value !== 'refuse' && value !== 'hang') {
          throw new Error("down must be null, 'refuse' or 'hang'");
        }
        next.down = value;
        break;
      case 'garbage':
        if (typeof value !== 'boolean') throw new Error('garbage must be a boolean');
        next.garbage = value;
        break;
      default:
        throw new Error(`unknown fault "${key}"`);
    }
  }
  return next;
}

const never = new Promise<never>(() => undefined);

/**
 * Applies the current faults to an API request (an onRequest hook). Resolves when the request
 * should go on to its handler; otherwise it has answered (or dropped) the request itself.
 */
export async function applyFaults(
  faults: MynaportalFaults,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.down === 'refuse') {
    reply.hijack();
    request.raw.socket.destroy();
    return never;
  }
  if (faults.down === 'hang') {
    reply.hijack();
    return never; // the socket is destroyed by close() or by the client giving up
  }
  if (faults.garbage) {
    return reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .send('{"notices":[{"noticeId":"ntc-');
  }
  if (faults.status !== null) {
    return reply.code(faults.status).send({ error: 'simulated_status', status: faults.status });
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
    return reply.code(500).send({ error: 'internal_error', message: 'simulated failure' });
  }
}
