import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createApp } from '../create-app.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../common/logging/create-logger.js';
import { ExportService } from '../modules/delivery-status/index.js';

/**
 * `npm run export -- <dataset> [file]`: the same CSV as GET /admin/v1/export/{dataset}.csv, written
 * to `file` (default `<dataset>.csv`, `-` for stdout), streamed from the same cursor.
 */
async function main(): Promise<void> {
  const [dataset, file = `${dataset}.csv`] = process.argv.slice(2);
  if (!dataset) throw new Error('usage: npm run export -- <dataset> [file|-]');
  // the CLI always runs as the api role (where the export service lives), whatever APP_ROLE says
  const config = loadConfig(undefined, { APP_ROLE: 'api', DATABASE_MIGRATE_ON_START: 'false' });
  const logger = createLogger({ ...config.app, logLevel: 'warn' }, process.stderr);
  const app = await createApp(config, { logger });
  try {
    const exports = app.get(ExportService);
    if (!exports.isDataset(dataset)) throw new Error(`unknown dataset ${dataset}`);
    const csv = await exports.open(dataset);
    await pipeline(csv, file === '-' ? process.stdout : createWriteStream(file));
    if (file !== '-') process.stderr.write(`wrote ${file}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
