import { qualificationSchema, type PortalQualification } from '../../upstream/mynaportal/mynaportal.schemas';
import { isoDate, todayInTokyo, toQualification } from './qualification.mapper';

const record: PortalQualification = {
  InsurerNumber: '01130012',
  InsurerName: '全国健康保険協会 東京支部',
  InsuredCardSymbol: '4010',
  InsuredIdentificationNumber: '123456',
  InsuredBranchNumber: '02',
  PersonalFamilyClassification: '2',
  QualificationDate: '20120710',
  InsuredCardValidDate: '20240401',
  InsuredCardExpirationDate: '20291231',
  InsuredPartialContributionRatio: '20',
  QualificationValidity: '1',
};

describe('qualification mapper', () => {
  const now = new Date('2026-11-25T03:00:00Z');

  it('maps the オンライン資格確認 fields to the contract', () => {
    expect(toQualification(record, now)).toEqual({
      insurerNumber: '01130012',
      insurerName: '全国健康保険協会 東京支部',
      symbol: '4010',
      number: '123456',
      branch: '02',
      relationship: 'family',
      qualifiedSince: '2012-07-10',
      validFrom: '2024-04-01',
      validUntil: '2029-12-31',
      copaymentRatio: 0.2,
      status: 'valid',
      checkedAt: '2026-11-25T03:00:00.000Z',
    });
  });

  it('maps 本人, a card without expiry and without ratio', () => {
    const { InsuredCardExpirationDate: _e, InsuredPartialContributionRatio: _r, ...rest } = record;
    expect(toQualification({ ...rest, PersonalFamilyClassification: '1' }, now)).toMatchObject({
      relationship: 'self',
      validUntil: null,
      copaymentRatio: null,
      status: 'valid',
    });
  });

  it('is invalid when the backend says so, before validFrom or after validUntil (Japanese calendar day)', () => {
    expect(toQualification({ ...record, QualificationValidity: '2' }, now).status).toBe('invalid');
    expect(toQualification({ ...record, InsuredCardValidDate: '20261126' }, now).status).toBe('invalid');
    expect(toQualification({ ...record, InsuredCardExpirationDate: '20261124' }, now).status).toBe('invalid');
    // 2026-11-25T15:30Z is already 11-26 in Tokyo: a card valid from 11-26 is valid then
    expect(
      toQualification({ ...record, InsuredCardValidDate: '20261126' }, new Date('2026-11-25T15:30:00Z'))
        .status,
    ).toBe('valid');
    // and the last day of validity counts as valid
    expect(toQualification({ ...record, InsuredCardExpirationDate: '20261125' }, now).status).toBe('valid');
  });

  it('converts dates and knows the Tokyo day', () => {
    expect(isoDate('20080401')).toBe('2008-04-01');
    expect(todayInTokyo(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
  });

  it('the schema refuses impossible dates and unknown classifications', () => {
    expect(qualificationSchema.safeParse(record).success).toBe(true);
    expect(qualificationSchema.safeParse({ ...record, QualificationDate: '20230230' }).success).toBe(false);
    expect(qualificationSchema.safeParse({ ...record, PersonalFamilyClassification: '3' }).success).toBe(
      false,
    );
  });
});
