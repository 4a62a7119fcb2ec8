import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export interface CsvColumn<T> {
  key: keyof T & string;
  header: string;
}

/**
 * Rows from a cursor as RFC 4180 CSV (UTF-8, header row, CRLF, quoted where needed), streamed with
 * backpressure: the cursor is read only as fast as the client (or file) takes the bytes.
 * `release` runs once the stream ends, fails or is abandoned.
 */
export function csvStream<T>(
  rows: Readable,
  columns: CsvColumn<T>[],
  release: () => Promise<void>,
  onError: (error: Error) => void,
): Readable {
  const out = new PassThrough();
  const csv = stringify({
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    record_delimiter: 'windows',
    cast: {
      date: (d) => d.toISOString(),
      boolean: (b) => (b ? 'true' : 'false'),
    },
  });
  void pipeline(rows, csv, out)
    .catch((error: unknown) => onError(error as Error))
    .finally(() => void release());
  return out;
}
