import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard.js';
import { DayRangeQueryDto } from '../dto/day-range.query.dto.js';
import { UsageDto } from '../dto/usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/stats/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @ApiOperation({
    summary:
      'Per JST day: linked people, active push devices, links, unlinks, API calls per feature, upstream error rates',
  })
  @ApiOkResponse({ type: UsageDto })
  get(@Query() query: DayRangeQueryDto): Promise<UsageDto> {
    return this.usage.usage(query.from, query.to);
  }
}
