import { Injectable } from '@nestjs/common';
import type { Language } from '../../common/i18n/language.js';
import { MynaportalClient } from '../../upstream/mynaportal/mynaportal.client.js';
import {
  invalidCursorIfRejected,
  upstreamCursor,
  wrapCursor,
} from '../../upstream/mynaportal/page-cursor.js';
import { ProviderTokenService } from '../account-link/index.js';
import { PushEventsService } from '../push/index.js';
import type { NoticeDto } from './dto/notice.dto.js';
import type { NoticePageDto } from './dto/notice-page.dto.js';
import { toNotice, toNoticeSummary } from './notice.mapper.js';

export const DEFAULT_PAGE_LIMIT = 20;

/** Notices (お知らせ) of the person, from the Mynaportal backend with their access token. */
@Injectable()
export class NoticesService {
  constructor(
    private readonly tokens: ProviderTokenService,
    private readonly portal: MynaportalClient,
    private readonly pushEvents: PushEventsService,
  ) {}

  async list(
    userId: string,
    query: { limit?: number; cursor?: string },
    language: Language,
  ): Promise<NoticePageDto> {
    const cursor = upstreamCursor('notices', query.cursor);
    const page = await this.tokens
      .withAccessToken(userId, (token) =>
        this.portal.listNotices(token, { limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor }),
      )
      .catch(invalidCursorIfRejected(cursor));
    return {
      items: page.notices.map((notice) => toNoticeSummary(notice, language)),
      nextCursor: page.nextCursor ? wrapCursor('notices', page.nextCursor) : null,
    };
  }

  /** The detail; the backend marks it read, and a push that carried it counts as opened. */
  async get(userId: string, noticeId: string, language: Language): Promise<NoticeDto> {
    const notice = await this.tokens.withAccessToken(userId, (token) =>
      this.portal.getNotice(token, noticeId),
    );
    // after a push carrying this notice, reading it counts as opened (once); never fails the read
    this.pushEvents.noticeRead(userId, noticeId);
    return toNotice(notice, language);
  }
}
