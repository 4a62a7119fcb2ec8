import { Body, Controller, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { CurrentSession, SessionGuard, type AppSession } from '../../account-link/index.js';
import { NotificationEventDto, PutPushRegistrationDto } from '../dto/push-registration.dto.js';
import { PushRegistrationRepository } from '../registrations/push-registration.repository.js';
import { PushEventsService } from './push-events.service.js';
import { ApiProblems, ApiSessionAuth } from '../../../common/openapi/api-problems.decorator.js';
import { RateLimit } from '../../../common/rate-limit/rate-limit.decorator.js';

/** notificationId as the webhook accepts it (webhook.schema.ts `id`): printable ASCII, 1–128. */
const NOTIFICATION_ID = /^[\x21-\x7e]{1,128}$/;

@ApiTags('push (プッシュ通知)')
@ApiSessionAuth()
@UseGuards(SessionGuard)
@Controller('v1')
export class PushAppController {
  constructor(
    private readonly registrations: PushRegistrationRepository,
    private readonly events: PushEventsService,
  ) {}

  @Put('devices/current/push')
  @HttpCode(204)
  @ApiOperation({ summary: "This device's push token, on/off and locale (null token: forget it)" })
  @RateLimit('session')
  @ApiNoContentResponse({ description: 'Saved' })
  @ApiProblems('SESSION_REQUIRED', 'LINK_EXPIRED', 'DPOP_PROOF_INVALID', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE')
  async register(@CurrentSession() session: AppSession, @Body() body: PutPushRegistrationDto): Promise<void> {
    await this.registrations.upsert(session.deviceLinkId, session.userId, body);
  }

  @Post('notifications/:notificationId/events')
  @HttpCode(204)
  @ApiOperation({ summary: 'received/opened for a push sent to this person (idempotent per type)' })
  @RateLimit('session')
  @ApiNoContentResponse({ description: 'Recorded (idempotent)' })
  @ApiParam({ name: 'notificationId', schema: { type: 'string', pattern: NOTIFICATION_ID.source } })
  @ApiProblems(
    'SESSION_REQUIRED',
    'LINK_EXPIRED',
    'DPOP_PROOF_INVALID',
    'NOT_FOUND',
    'RATE_LIMITED',
    'PAYLOAD_TOO_LARGE',
  )
  async event(
    @CurrentSession() session: AppSession,
    @Param('notificationId') notificationId: string,
    @Body() body: NotificationEventDto,
  ): Promise<void> {
    if (!NOTIFICATION_ID.test(notificationId))
      throw new DomainException(ErrorCode.VALIDATION_FAILED, {
        fieldErrors: [{ field: 'notificationId', rule: 'invalid' }],
      });
    await this.events.record(session.userId, notificationId, body.type);
  }
}
