import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignQueryService } from '../../push/index.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { CampaignDto, CampaignPageDto } from '../dto/campaign.dto.js';
import { CampaignIdParamsDto } from '../dto/campaign-id.params.dto.js';
import { ListCampaignsQueryDto } from '../dto/list-campaigns.query.dto.js';

@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Campaigns, newest first, cursor paging' })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@Query() query: ListCampaignsQueryDto): Promise<CampaignPageDto> {
    return this.campaigns.list(query.limit ?? 20, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One campaign with its live totals' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems('ADMIN_AUTH_REQUIRED', 'NOT_FOUND')
  get(@Param() params: CampaignIdParamsDto): Promise<CampaignDto> {
    return this.campaigns.get(params.id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop a scheduled or running campaign; untried tokens count as cancelledTokens' })
  @ApiAcceptedResponse({ type: CampaignDto })
  @ApiProblems('ADMIN_AUTH_REQUIRED', 'NOT_FOUND', 'CAMPAIGN_ENDED')
  cancel(@Param() params: CampaignIdParamsDto): Promise<CampaignDto> {
    return this.campaigns.cancel(params.id);
  }
}
