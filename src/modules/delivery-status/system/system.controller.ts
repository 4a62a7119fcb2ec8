import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard.js';
import { SystemStatusDto } from './system-status.dto.js';
import { SystemService } from './system.service.js';

@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @ApiOperation({ summary: 'Queue depths and circuit breaker states (for the dashboard)' })
  @ApiOkResponse({ type: SystemStatusDto })
  status(): Promise<SystemStatusDto> {
    return this.system.status();
  }
}
