import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard.js';
import { DayRangeQueryDto } from '../dto/day-range.query.dto.js';
import { MonthRangeQueryDto } from '../dto/month-range.query.dto.js';
import { DailyStatsDto, MonthlyStatsDto } from '../dto/stats.dto.js';
import { StatsService } from './stats.service.js';

@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('daily')
  @ApiOperation({
    summary: 'Per JST day: notifications, targeted, sent, failed, invalid tokens, received, opened',
  })
  @ApiOkResponse({ type: DailyStatsDto })
  daily(@Query() query: DayRangeQueryDto): Promise<DailyStatsDto> {
    return this.stats.daily(query.from, query.to);
  }

  @Get('monthly')
  @ApiOperation({
    summary: 'Per month and category: 件数, 開封件数, 開封率 (the requirements’ table of notices)',
  })
  @ApiOkResponse({ type: MonthlyStatsDto })
  monthly(@Query() query: MonthRangeQueryDto): Promise<MonthlyStatsDto> {
    return this.stats.monthly(query.from, query.to);
  }
}
