import { createHash } from 'node:crypto';
import { personaBySubject, type PersonaInsurance } from '../personas.js';

/**
 * Upstream record shapes of the simulated Mynaportal backend (our assumption of its API; the BFF's
 * adapter maps them to API.md). Everything is derived from (subject, index), so the same person
 * always sees the same notices, and thousands of them cost no memory.
 */
export interface LocalizedText {
  ja: string;
  en?: string;
}

export interface UpstreamNoticeSummary {
  noticeId: string;
  title: LocalizedText;
  senderName: LocalizedText;
  category: string;
  publishedAt: string;
  isRead: boolean;
}

export interface UpstreamNotice extends UpstreamNoticeSummary {
  body: LocalizedText;
  links: { label: LocalizedText; url: string }[];
}

export interface UpstreamTodo {
  todoId: string;
  title: LocalizedText;
  description: LocalizedText | null;
  dueDate: string | null;
  status: 'OPEN' | 'DONE';
  senderName: LocalizedText;
  url: string | null;
}

/** Notice count for people who are not personas (a token for an unknown subject still works). */
export const DEFAULT_NOTICE_COUNT = 20;
const DEFAULT_TODO_COUNT = 3;
/** The newest notice of everyone is published at this instant; older ones step back from it. */
const EPOCH = Date.parse('2026-11-20T09:00:00+09:00');

const SENDERS: LocalizedText[] = [
  { ja: '千代田区役所', en: 'Chiyoda City Office' },
  { ja: '大阪市役所', en: 'Osaka City Office' },
  { ja: '札幌市役所' },
  { ja: '日本年金機構', en: 'Japan Pension Service' },
  { ja: 'デジタル庁', en: 'Digital Agency' },
  { ja: '国税庁', en: 'National Tax Agency' },
  { ja: '全国健康保険協会' },
];

const TEMPLATES: { category: string; title: LocalizedText; body: LocalizedText }[] = [
  {
    category: 'tax',
    title: { ja: '住民税の納税通知書を発行しました', en: 'Your resident tax notice has been issued' },
    body: {
      ja: '令和8年度の住民税の納税通知書を発行しました。マイナポータルから内容をご確認ください。',
      en: 'The resident tax notice for fiscal 2026 has been issued. Please check it on Mynaportal.',
    },
  },
  {
    category: 'health',
    title: { ja: '特定健康診査のご案内' },
    body: { ja: '今年度の特定健康診査の受診券をお送りします。受診期限は来年3月末です。' },
  },
  {
    category: 'pension',
    title: { ja: 'ねんきん定期便のお知らせ', en: 'Your annual pension statement' },
    body: {
      ja: 'ねんきん定期便をお届けします。加入記録に漏れがないかご確認ください。',
      en: 'Here is your annual pension statement. Please check that your records are complete.',
    },
  },
  {
    category: 'childcare',
    title: { ja: '児童手当の現況届について' },
    body: { ja: '児童手当を引き続き受給するための手続きについてお知らせします。' },
  },
  {
    category: 'disaster',
    title: { ja: '防災訓練のお知らせ', en: 'Disaster drill notice' },
    body: {
      ja: '地域の防災訓練を実施します。避難所の場所をご確認ください。',
      en: 'A local disaster drill will take place. Please check where your evacuation shelter is.',
    },
  },
  {
    category: 'general',
    title: { ja: 'マイナンバーカードの電子証明書の有効期限について' },
    body: { ja: '電子証明書の有効期限が近づいています。市区町村の窓口で更新手続きをしてください。' },
  },
];

const TODO_TEMPLATES: { title: LocalizedText; description: LocalizedText | null; url: string | null }[] = [
  {
    title: { ja: '児童手当の現況届を提出する', en: 'Submit the child allowance status report' },
    description: { ja: 'オンラインで提出できます。' },
    url: 'https://myna.example/todo/child-allowance',
  },
  {
    title: { ja: '公金受取口座を確認する' },
    description: null,
    url: 'https://myna.example/todo/bank-account',
  },
  {
    title: { ja: '電子証明書を更新する', en: 'Renew your electronic certificate' },
    description: {
      ja: '有効期限の3か月前から更新できます。',
      en: 'Renewal opens three months before expiry.',
    },
    url: null,
  },
];

/** A small deterministic PRNG (mulberry32) seeded from a string. */
function random(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
const subjectKey = (subject: string): string =>
  createHash('sha256').update(subject).digest('hex').slice(0, 10);

/** ISO 8601 with the +09:00 offset, as a Japanese backend would write it. */
function jst(ms: number): string {
  return `${new Date(ms + 9 * 3600_000).toISOString().slice(0, 19)}+09:00`;
}

export function noticeCount(subject: string): number {
  return personaBySubject(subject)?.noticeCount ?? DEFAULT_NOTICE_COUNT;
}

export function todoCount(subject: string): number {
  return personaBySubject(subject)?.todoCount ?? DEFAULT_TODO_COUNT;
}

export function noticeId(subject: string, index: number): string {
  return `ntc-${subjectKey(subject)}-${String(index).padStart(6, '0')}`;
}

/** The index of a notice id of this subject, or undefined when it is not theirs. */
export function noticeIndex(subject: string, id: string): number | undefined {
  const m = /^ntc-([0-9a-f]{10})-(\d{6})$/.exec(id);
  if (!m || m[1] !== subjectKey(subject)) return undefined;
  const index = Number(m[2]);
  return index < noticeCount(subject) ? index : undefined;
}

// Generating a notice costs a hash per field; a benchmark reads the same pages thousands of times
// a second, so generated notices are kept (bounded by the number of people, not requests).
const MAX_CACHED_SUBJECTS = 1000;
const cache = new Map<string, { full: UpstreamNotice[]; summaries: UpstreamNoticeSummary[] }>();

function cached(subject: string, index: number): { full: UpstreamNotice; summary: UpstreamNoticeSummary } {
  let entry = cache.get(subject);
  if (!entry) {
    if (cache.size >= MAX_CACHED_SUBJECTS) cache.clear();
    cache.set(subject, (entry = { full: [], summaries: [] }));
  }
  let full = entry.full[index];
  if (!full) {
    full = entry.full[index] = generateNotice(subject, index);
    entry.summaries[index] = summary(full);
  }
  return { full, summary: entry.summaries[index] };
}

/** Notice `index` of a subject; index 0 is the newest. */
export function notice(subject: string, index: number, isRead: boolean): UpstreamNotice {
  return { ...cached(subject, index).full, isRead };
}

export function noticeSummary(subject: string, index: number, isRead: boolean): UpstreamNoticeSummary {
  return { ...cached(subject, index).summary, isRead };
}

function generateNotice(subject: string, index: number): UpstreamNotice {
  const rnd = random(`${subject}#notice#${index}`);
  const t = pick(rnd, TEMPLATES);
  // strictly older as the index grows: 6 to 28 hours between two notices
  const publishedAt = EPOCH - index * 17 * 3600_000 - Math.floor(rnd() * 12) * 3600_000;
  return {
    noticeId: noticeId(subject, index),
    title: t.title,
    senderName: pick(rnd, SENDERS),
    category: t.category,
    publishedAt: jst(publishedAt),
    isRead: false,
    body: t.body,
    links: [{ label: { ja: '詳しくはこちら', en: 'Details' }, url: `https://myna.example/notices/${index}` }],
  };
}

export function summary(n: UpstreamNotice): UpstreamNoticeSummary {
  const { body: _body, links: _links, ...rest } = n;
  return rest;
}

export function todo(subject: string, index: number): UpstreamTodo {
  const rnd = random(`${subject}#todo#${index}`);
  const t = pick(rnd, TODO_TEMPLATES);
  const hasDue = rnd() < 0.7;
  return {
    todoId: `todo-${subjectKey(subject)}-${String(index).padStart(5, '0')}`,
    title: t.title,
    description: t.description,
    dueDate: hasDue ? jst(EPOCH + (index + 1) * 5 * 86400_000).slice(0, 10) : null,
    status: index % 4 === 3 ? 'DONE' : 'OPEN',
    senderName: pick(rnd, SENDERS),
    url: t.url,
  };
}

/** オンライン資格確認-style qualification record, or undefined when the person has none. */
export function qualification(subject: string, now = new Date()): Record<string, string> | undefined {
  const persona = personaBySubject(subject);
  const ins: PersonaInsurance | null | undefined = persona ? persona.insurance : defaultInsurance(subject);
  if (!ins) return undefined;
  const record: Record<string, string> = {
    InsurerNumber: ins.insurerNumber,
    InsurerName: ins.insurerName,
    InsuredCardSymbol: ins.symbol,
    InsuredIdentificationNumber: ins.number,
    InsuredBranchNumber: ins.branch,
    PersonalFamilyClassification: ins.classification,
    QualificationDate: ins.qualificationDate,
    InsuredCardValidDate: ins.validDate,
    QualificationValidity: ins.validity,
    ProcessingDateTime: jst(now.getTime()).slice(0, 19).replace(/[-T:]/g, ''),
  };
  if (ins.expirationDate) record.InsuredCardExpirationDate = ins.expirationDate;
  if (ins.contributionRatio) record.InsuredPartialContributionRatio = ins.contributionRatio;
  return record;
}

function defaultInsurance(subject: string): PersonaInsurance {
  const key = subjectKey(subject);
  return {
    insurerNumber: '01130012',
    insurerName: '全国健康保険協会 東京支部',
    symbol: '4010',
    number: String(parseInt(key.slice(0, 6), 16))
      .padStart(6, '0')
      .slice(0, 6),
    branch: '00',
    classification: '1',
    qualificationDate: '20200401',
    validDate: '20240401',
    contributionRatio: '30',
    validity: '1',
  };
}
