import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { MynaportalRejectedError } from './mynaportal.errors.js';
import { SAFE_CURSOR } from './mynaportal.schemas.js';

/**
 * The app's paging cursor: the backend's own cursor, wrapped with the list it belongs to and
 * base64url-encoded. Opaque to the app; the BFF keeps no paging state. The backend still checks that
 * its cursor belongs to the person asking (it binds cursors to the subject).
 */
export type PagedList = 'notices' | 'todos';

/** Longest cursor the app may send back (a wrapped upstream cursor of at most 512 characters). */
export const MAX_APP_CURSOR_LENGTH = 800;
export const APP_CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;

export function wrapCursor(list: PagedList, upstreamCursor: string): string {
  return Buffer.from(JSON.stringify({ v: 1, l: list, c: upstreamCursor }), 'utf8').toString('base64url');
}

/** The backend's cursor inside an app cursor, or undefined when it is not one of ours for this list. */
export function unwrapCursor(list: PagedList, cursor: string): string | undefined {
  if (cursor.length > MAX_APP_CURSOR_LENGTH || !APP_CURSOR_PATTERN.test(cursor)) return undefined;
  try {
    const wrapped = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof wrapped !== 'object' || wrapped === null) return undefined;
    const { v, l, c } = wrapped as { v?: unknown; l?: unknown; c?: unknown };
    if (v !== 1 || l !== list || typeof c !== 'string' || !SAFE_CURSOR.test(c)) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

/** The backend's cursor for an app cursor, or VALIDATION_FAILED on `cursor`. */
export function upstreamCursor(list: PagedList, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const inner = unwrapCursor(list, cursor);
  if (inner === undefined) throw invalidCursor();
  return inner;
}

/**
 * For a list call's `.catch`: the backend refusing (400) a request that carried a cursor means the
 * cursor is not good for this person (another person's, or stale): VALIDATION_FAILED on `cursor`.
 */
export function invalidCursorIfRejected(cursor: string | undefined): (error: unknown) => never {
  return (error: unknown) => {
    if (cursor !== undefined && error instanceof MynaportalRejectedError && error.status === 400) {
      throw invalidCursor();
    }
    throw error;
  };
}

function invalidCursor(): DomainException {
  return new DomainException(ErrorCode.VALIDATION_FAILED, {
    fieldErrors: [{ field: 'cursor', rule: 'invalid' }],
  });
}
