import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export const MAX_RANGE_DAYS = 366;

/** A valid inclusive day range, or 400 VALIDATION_FAILED naming `to`. */
export function checkDayRange(from: string, to: string): void {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const days = (end - start) / 86_400_000 + 1;
  if (!Number.isFinite(days) || days < 1 || days > MAX_RANGE_DAYS) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, {
      fieldErrors: [{ field: 'to', rule: 'pattern' }],
    });
  }
}
