import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import type { Readable } from 'node:stream';
import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminGuard } from '../auth/admin.guard.js';
import { EXPORT_DATASETS } from './export-datasets.js';
import { ExportService } from './export.service.js';

@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get(':dataset.csv')
  @ApiOperation({ summary: 'UTF-8 CSV (RFC 4180, header row) of an operational dataset; never tokens' })
  @ApiParam({ name: 'dataset', enum: EXPORT_DATASETS })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'text/csv; charset=utf-8, streamed (formats: docs/data-export.md)',
  })
  @ApiProblems('ADMIN_AUTH_REQUIRED', 'NOT_FOUND')
  async export(
    @Param('dataset') dataset: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const stream = await this.exports.open(dataset);
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${dataset}.csv"`)
      .header('cache-control', 'no-store');
    return stream;
  }
}
