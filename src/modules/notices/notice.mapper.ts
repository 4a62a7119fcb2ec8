import type { Language } from '../../common/i18n/language.js';
import { pickText } from '../../upstream/mynaportal/localized-text.js';
import type { PortalNotice, PortalNoticeSummary } from '../../upstream/mynaportal/mynaportal.schemas.js';
import type { NoticeDto } from './dto/notice.dto.js';
import type { NoticeSummaryDto } from './dto/notice-summary.dto.js';

/** Backend notice summary → API.md NoticeSummary, texts in the caller's language. */
export function toNoticeSummary(notice: PortalNoticeSummary, language: Language): NoticeSummaryDto {
  return {
    id: notice.noticeId,
    title: pickText(notice.title, language),
    sender: pickText(notice.senderName, language),
    category: notice.category,
    publishedAt: notice.publishedAt,
    read: notice.isRead,
  };
}

/** Backend notice → API.md notice detail. */
export function toNotice(notice: PortalNotice, language: Language): NoticeDto {
  return {
    ...toNoticeSummary(notice, language),
    body: pickText(notice.body, language),
    links: notice.links.map((link) => ({ label: pickText(link.label, language), url: link.url })),
  };
}
