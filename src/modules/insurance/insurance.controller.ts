import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSessionAuth } from '../../common/openapi/api-problems.decorator.js';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator.js';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { QualificationDto } from './dto/qualification.dto.js';
import { InsuranceService } from './insurance.service.js';

@ApiTags('insurance (保険証資格情報)')
@ApiSessionAuth()
@UseGuards(SessionGuard)
@RateLimit('session')
@Controller('v1/insurance')
export class InsuranceController {
  constructor(private readonly insurance: InsuranceService) {}

  @Get('qualification')
  // personal data checked live each time: nothing along the way may keep it
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Health-insurance qualification (保険証資格情報), checked live' })
  @ApiOkResponse({ type: QualificationDto })
  @ApiProblems(
    'NOT_FOUND',
    'SESSION_REQUIRED',
    'LINK_EXPIRED',
    'DPOP_PROOF_INVALID',
    'RATE_LIMITED',
    'UPSTREAM_AUTH_FAILED',
    'UPSTREAM_ERROR',
    'UPSTREAM_UNAVAILABLE',
  )
  qualification(@CurrentSession() session: AppSession): Promise<QualificationDto> {
    return this.insurance.qualification(session.userId);
  }
}
