const outageCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions, shutdown, too many connections, statement timeout.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
]);

const outageMessages =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request|Command timed out|connect ECONNREFUSED/i;

/**
 * True when an error means PostgreSQL or Redis is unreachable or overloaded (not a bug): the caller
 * gets a fast 503 with Retry-After instead of a 500. Looks through TypeORM's driverError and causes.
 */
export function isInfrastructureOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && outageCodes.has(e.code)) return true;
  if (typeof e.message === 'string' && outageMessages.test(e.message)) return true;
  return isInfrastructureOutage(e.driverError, depth + 1) || isInfrastructureOutage(e.cause, depth + 1);
}
