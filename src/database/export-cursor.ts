import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';

/** Rows of one query as a stream, and the release of the connection it holds. */
export interface RowCursor<T> {
  rows: AsyncIterable<T> & Readable;
  release: () => Promise<void>;
}

/**
 * A server-side cursor (pg-query-stream, batches of 1,000) on a connection of its own, for the CSV
 * exports. The pool's `statement_timeout` (5 s: a request's statement that runs longer is a fault)
 * is lifted for this one connection: the cursor is one statement for the whole export (1 M device
 * rows stream for ~20 s, a year of events for minutes), and it cancelled every larger export at 5 s
 * (found by bench:admin). Restored before the connection goes back to the pool.
 */
export async function openExportCursor<T>(dataSource: DataSource, sql: string): Promise<RowCursor<T>> {
  const runner = dataSource.createQueryRunner('slave');
  const client = (await runner.connect()) as PoolClient;
  await client.query('SET statement_timeout = 0');
  const rows = client.query(new QueryStream(sql, [], { batchSize: 1000 }));
  let released = false;
  return {
    rows: rows as unknown as RowCursor<T>['rows'],
    release: async () => {
      if (released) return;
      released = true;
      rows.destroy();
      await client.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    },
  };
}
