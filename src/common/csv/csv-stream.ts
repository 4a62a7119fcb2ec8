import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export interface CsvColumn<T> {
  key: keyof T & string;
  header: string;
}

/** ISO 8601 in Japan time with offset, second precision: `2026-11-25T18:46:40+09:00`. */
export function jstTime(d: Date): string {
  return `${new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

/** OWASP CSV injection: a text starting like a formula is prefixed with `'`. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Rows from a cursor as RFC 4180 CSV (UTF-8 with BOM, header row, CRLF, quoted where needed;
 * docs/data-export.md §1), streamed with
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
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    record_delimiter: 'windows',
    cast: {
      date: jstTime,
      boolean: (b) => (b ? 'true' : 'false'),
      number: (n) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)))),
      string: neutraliseFormula,
    },
  });
  void pipeline(rows, csv, out)
    .catch((error: unknown) => onError(error as Error))
    .finally(() => void release());
  return out;
}
