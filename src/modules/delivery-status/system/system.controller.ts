import { Controller, Get, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard.js';
import { SystemStatusDto } from './system-status.dto.js';
import { SystemService } from './system.service.js';

@ApiTags('operators')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ description: 'ADMIN_AUTH_REQUIRED' })
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
