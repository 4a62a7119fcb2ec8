import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { csvStream } from '../../../common/csv/csv-stream.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { LinkStatsReader } from '../../account-link/index.js';
import { DEVICE_COLUMNS, EXPORT_DATASETS, type ExportDataset } from './export-datasets.js';

/** CSV exports, streamed from a database cursor (the HTTP route and `npm run export` share it). */
@Injectable()
export class ExportService {
  private readonly log: AppLogger;

  constructor(
    private readonly links: LinkStatsReader,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('ExportService');
  }

  isDataset(name: string): name is ExportDataset {
    return (EXPORT_DATASETS as readonly string[]).includes(name);
  }

  async open(dataset: string): Promise<Readable> {
    if (!this.isDataset(dataset)) throw new DomainException(ErrorCode.NOT_FOUND);
    const cursor = await this.links.devices();
    return csvStream(cursor.rows, DEVICE_COLUMNS, cursor.release, (error) =>
      this.log.warn({ dataset, reason: error.message }, 'export ended early'),
    );
  }
}
