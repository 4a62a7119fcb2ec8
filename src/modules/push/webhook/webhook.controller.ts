import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiAcceptedResponse,
  ApiBody,
  type ApiBodyOptions,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import type { AppConfig } from '../../../config/app-config.js';
import { CampaignService } from '../campaigns/campaign.service.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { parseWebhookBody, pushWebhookOpenApiSchema } from './webhook.schema.js';
import { ApiProblems, ApiWebhookSignature } from '../../../common/openapi/api-problems.decorator.js';

class PushWebhookAcceptedDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() notificationId!: string;
  @ApiProperty({ enum: ['queued', 'scheduled'] }) status!: 'queued' | 'scheduled';
  @ApiProperty() duplicate!: boolean;
}

/** プッシュ通知 webhook from the Mynaportal backend (signed, idempotent on notificationId). */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhookController {
  private readonly secrets: string[];

  constructor(
    private readonly campaigns: CampaignService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.secrets = config.get('push', { infer: true }).webhookSecrets;
  }

  @Post('push')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'New push campaign (body ≤ 1 MiB, ≤ 10,000 subjects); X-Myna-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
  })
  @ApiWebhookSignature()
  @ApiProblems('SIGNATURE_INVALID', 'PAYLOAD_TOO_LARGE', 'UPSTREAM_UNAVAILABLE')
  @ApiBody({
    description: 'See API.md "Webhook from the Mynaportal backend"',
    schema: pushWebhookOpenApiSchema as Extract<ApiBodyOptions, { schema: unknown }>['schema'],
  })
  @ApiAcceptedResponse({ type: PushWebhookAcceptedDto })
  async push(
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Headers('x-myna-signature') signature: string | undefined,
  ): Promise<PushWebhookAcceptedDto> {
    const raw = req.rawBody ?? Buffer.alloc(0);
    if (!verifyWebhookSignature(signature, raw, this.secrets, Math.floor(Date.now() / 1000)))
      throw new DomainException(ErrorCode.SIGNATURE_INVALID);
    return this.campaigns.accept(parseWebhookBody(req.body));
  }
}
