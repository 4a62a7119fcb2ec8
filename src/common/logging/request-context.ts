import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

export interface RequestContext {
  requestId: string;
  logger: Logger;
}

/** Carries the current request's id and logger through async calls (set in an onRequest hook). */
export const requestContext = new AsyncLocalStorage<RequestContext>();
