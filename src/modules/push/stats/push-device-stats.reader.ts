import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Read-only push figures for delivery status management (which never reads push's tables itself). */
@Injectable()
export class PushDeviceStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Registrations that can receive a push now (the fan-out's partial index). */
  async activeDevices(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM push_registrations WHERE enabled AND token_enc IS NOT NULL`,
    );
    return Number(row.n);
  }
}
