import pino from 'pino';

/**
 * Members of driver errors that carry values, not structure: TypeORM's QueryFailedError copies the
 * query `parameters` (device ids, token hashes, encrypted tokens) onto itself and keeps the pg error
 * as `driverError`, whose `detail` quotes the offending value ("Key (x)=(…) already exists").
 * The SQL text (`query`) is parameterised and stays: it says which statement failed.
 */
const VALUE_MEMBERS = ['parameters', 'detail', 'where'];

type Serialized = Record<string, unknown>;

/** A copy of `value` without VALUE_MEMBERS, also in its driverError and cause (never mutates). */
function strip(value: unknown, depth: number): unknown {
  if (!value || typeof value !== 'object' || depth > 4) return value;
  const record: Serialized = { ...(value as Serialized) };
  for (const member of VALUE_MEMBERS) delete record[member];
  if (record.driverError) record.driverError = strip(record.driverError, depth + 1);
  if (record.cause) record.cause = strip(record.cause, depth + 1);
  return record;
}

/** pino's error serializer, without the values a database error carries (every logged error). */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return strip(pino.stdSerializers.err(error), 0);
}
