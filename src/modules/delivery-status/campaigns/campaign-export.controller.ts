import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import type { Readable } from 'node:stream';
import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminGuard } from '../auth/admin.guard.js';
import { ExportService } from '../export/export.service.js';

/** Declared before the :id routes' controller so `export.csv` is never taken for an id. */
@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/campaigns')
export class CampaignExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('export.csv')
  @ApiOperation({ summary: 'One CSV row per campaign (same as /admin/v1/export/campaigns.csv)' })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv; charset=utf-8, header row, streamed' })
  async export(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    const stream = await this.exports.open('campaigns');
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="campaigns.csv"')
      .header('cache-control', 'no-store');
    return stream;
  }
}
