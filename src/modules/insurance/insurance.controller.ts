import { ApiDpopSession } from '../../common/dpop/api-dpop.decorator.js';
import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { QualificationDto } from './dto/qualification.dto.js';
import { InsuranceService } from './insurance.service.js';

@ApiTags('insurance (保険証資格情報)')
@ApiDpopSession()
@UseGuards(SessionGuard)
@Controller('v1/insurance')
export class InsuranceController {
  constructor(private readonly insurance: InsuranceService) {}

  @Get('qualification')
  // personal data checked live each time: nothing along the way may keep it
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Health-insurance qualification (保険証資格情報), checked live' })
  @ApiOkResponse({ type: QualificationDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: the backend has no qualification for this person' })
  qualification(@CurrentSession() session: AppSession): Promise<QualificationDto> {
    return this.insurance.qualification(session.userId);
  }
}
