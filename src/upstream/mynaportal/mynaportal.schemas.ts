import { z } from 'zod';

/**
 * The Mynaportal backend's response shapes as the BFF accepts them (UPSTREAMS.md §2; its API is not
 * published, so this file is the adapter's half of the contract: slot the real schema in here).
 * Unknown fields are stripped; anything missing, mistyped or out of range makes the whole body
 * invalid (→ 502 UPSTREAM_ERROR), so a half-understood answer never reaches the app.
 */

/** Ids the BFF puts into paths and hands to the app: a conservative charset and length. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Upstream cursors are opaque; we only insist they are URL-safe and bounded. */
export const SAFE_CURSOR = /^[A-Za-z0-9._~=-]{1,512}$/;

const id = z.string().regex(SAFE_ID);
const shortText = z.string().max(2_000);
const longText = z.string().max(100_000);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2_048);

export const localizedText = z.object({ ja: shortText, en: shortText.optional() });
const localizedLongText = z.object({ ja: longText, en: longText.optional() });

const yyyymmdd = z
  .string()
  .regex(/^\d{8}$/)
  .refine((s) => isCalendarDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))), {
    message: 'not a calendar date',
  });

export const noticeSummarySchema = z.object({
  noticeId: id,
  title: localizedText,
  senderName: localizedText,
  category: z.string().regex(/^[a-z0-9_-]{1,64}$/),
  publishedAt: z.iso.datetime({ offset: true }),
  isRead: z.boolean(),
});

export const noticePageSchema = z.object({
  notices: z.array(noticeSummarySchema).max(100),
  nextCursor: z.string().regex(SAFE_CURSOR).nullable(),
});

export const noticeSchema = noticeSummarySchema.extend({
  body: localizedLongText,
  links: z.array(z.object({ label: localizedText, url: httpUrl })).max(50),
});

export const todoSchema = z.object({
  todoId: id,
  title: localizedText,
  description: localizedText.nullable(),
  dueDate: z.iso.date().nullable(),
  status: z.enum(['OPEN', 'DONE']),
  senderName: localizedText,
  url: httpUrl.nullable(),
});

export const todoPageSchema = z.object({
  todos: z.array(todoSchema).max(100),
  nextCursor: z.string().regex(SAFE_CURSOR).nullable(),
});

/** オンライン資格確認-style qualification record; dates are YYYYMMDD (UPSTREAMS.md §2). */
export const qualificationSchema = z.object({
  InsurerNumber: z.string().regex(/^\d{6,8}$/),
  InsurerName: z.string().min(1).max(200),
  InsuredCardSymbol: z.string().max(100),
  InsuredIdentificationNumber: z.string().min(1).max(100),
  InsuredBranchNumber: z
    .string()
    .regex(/^\d{0,4}$/)
    .optional(),
  /** 1 本人 (the insured person), 2 家族 (a dependent) */
  PersonalFamilyClassification: z.enum(['1', '2']),
  QualificationDate: yyyymmdd,
  InsuredCardValidDate: yyyymmdd,
  InsuredCardExpirationDate: yyyymmdd.optional(),
  /** 一部負担金割合 as a percentage string ('30' = 3割) */
  InsuredPartialContributionRatio: z
    .string()
    .regex(/^\d{1,3}$/)
    .refine((s) => Number(s) <= 100)
    .optional(),
  /** 1 有効, 2 無効 (the qualification was lost) */
  QualificationValidity: z.enum(['1', '2']).optional(),
});

export const ssoSessionSchema = z.object({
  loginUrl: httpUrl,
});

export type LocalizedText = z.infer<typeof localizedText>;
export type PortalNoticeSummary = z.infer<typeof noticeSummarySchema>;
export type PortalNoticePage = z.infer<typeof noticePageSchema>;
export type PortalNotice = z.infer<typeof noticeSchema>;
export type PortalTodo = z.infer<typeof todoSchema>;
export type PortalTodoPage = z.infer<typeof todoPageSchema>;
export type PortalQualification = z.infer<typeof qualificationSchema>;
export type PortalSsoSession = z.infer<typeof ssoSessionSchema>;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
