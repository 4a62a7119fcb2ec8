import type { PortalQualification } from '../../upstream/mynaportal/mynaportal.schemas.js';
import type { QualificationDto } from './dto/qualification.dto.js';

const tokyoDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYYMMDD (オンライン資格確認) → YYYY-MM-DD. The schema has checked it is a calendar date. */
export function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Today's date in Japan (no DST), YYYY-MM-DD: qualification dates are Japanese calendar days. */
export function todayInTokyo(now: Date): string {
  return tokyoDate.format(now);
}

/** Backend qualification record → API.md qualification, judged at `now`. */
export function toQualification(record: PortalQualification, now: Date): QualificationDto {
  const qualifiedSince = isoDate(record.QualificationDate);
  const validFrom = isoDate(record.InsuredCardValidDate);
  const validUntil = record.InsuredCardExpirationDate ? isoDate(record.InsuredCardExpirationDate) : null;
  const today = todayInTokyo(now);
  const valid =
    record.QualificationValidity !== '2' &&
    qualifiedSince <= today &&
    validFrom <= today &&
    (validUntil === null || today <= validUntil);
  return {
    insurerNumber: record.InsurerNumber,
    insurerName: record.InsurerName,
    symbol: record.InsuredCardSymbol,
    number: record.InsuredIdentificationNumber,
    branch: record.InsuredBranchNumber ?? '',
    relationship: record.PersonalFamilyClassification === '2' ? 'family' : 'self',
    qualifiedSince,
    validFrom,
    validUntil,
    copaymentRatio:
      record.InsuredPartialContributionRatio === undefined
        ? null
        : Number(record.InsuredPartialContributionRatio) / 100,
    status: valid ? 'valid' : 'invalid',
    checkedAt: now.toISOString(),
  };
}
