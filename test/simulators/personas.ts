/**
 * The fixed test people shared by the simulators. `id` is what a test passes as `login_hint`;
 * `subject` is the provider's `sub`, the identifier the BFF and the Mynaportal backend share.
 * Everything here is fictitious.
 */
export interface PersonaInsurance {
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  /** '1' 本人 (insured person), '2' 家族 (dependent) */
  classification: '1' | '2';
  qualificationDate: string;
  validDate: string;
  /** absent for cards without an expiry (国民健康保険 of a working-age person, for example) */
  expirationDate?: string;
  /** 一部負担金割合 as the percentage string the real result carries, e.g. '30' */
  contributionRatio?: string;
  /** '1' valid, '2' invalid (lost the qualification) */
  validity: '1' | '2';
}

export interface Persona {
  id: string;
  subject: string;
  name: string;
  address: { formatted: string; postal_code: string };
  /** YYYY-MM-DD as OIDC's birthdate claim */
  birthdate: string;
  gender: 'female' | 'male' | 'other';
  noticeCount: number;
  todoCount: number;
  /** null: the backend has no qualification for this person (404) */
  insurance: PersonaInsurance | null;
}

export const PERSONAS: readonly Persona[] = [
  {
    id: 'sato-hanako',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000001',
    name: '佐藤 花子',
    address: { formatted: '東京都千代田区霞が関二丁目1番1号', postal_code: '100-8926' },
    birthdate: '1985-04-12',
    gender: 'female',
    noticeCount: 48,
    todoCount: 6,
    insurance: {
      insurerNumber: '01130012',
      insurerName: '全国健康保険協会 東京支部',
      symbol: '4010',
      number: '123456',
      branch: '00',
      classification: '1',
      qualificationDate: '20080401',
      validDate: '20240401',
      expirationDate: '20291231',
      contributionRatio: '30',
      validity: '1',
    },
  },
  {
    id: 'suzuki-ichiro',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000002',
    name: '鈴木 一郎',
    address: { formatted: '大阪府大阪市北区中之島一丁目3番20号', postal_code: '530-8201' },
    birthdate: '1958-09-30',
    gender: 'male',
    noticeCount: 25,
    todoCount: 3,
    insurance: {
      insurerNumber: '270009',
      insurerName: '大阪市',
      symbol: '大阪',
      number: '9876543',
      branch: '01',
      classification: '1',
      qualificationDate: '20190101',
      validDate: '20250801',
      contributionRatio: '30',
      validity: '1',
    },
  },
  {
    id: 'tanaka-many',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000003',
    name: '田中 多恵',
    address: { formatted: '北海道札幌市中央区北1条西2丁目', postal_code: '060-8611' },
    birthdate: '1972-01-23',
    gender: 'female',
    noticeCount: 5000,
    todoCount: 250,
    insurance: {
      insurerNumber: '06139999',
      insurerName: '札幌商工健康保険組合',
      symbol: '12',
      number: '3456',
      branch: '00',
      classification: '1',
      qualificationDate: '19950401',
      validDate: '20230401',
      expirationDate: '20281130',
      contributionRatio: '30',
      validity: '1',
    },
  },
  {
    id: 'family-member',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000004',
    name: '佐藤 さくら',
    address: { formatted: '東京都千代田区霞が関二丁目1番1号', postal_code: '100-8926' },
    birthdate: '2012-07-07',
    gender: 'female',
    noticeCount: 12,
    todoCount: 1,
    insurance: {
      insurerNumber: '01130012',
      insurerName: '全国健康保険協会 東京支部',
      symbol: '4010',
      number: '123456',
      branch: '02',
      classification: '2',
      qualificationDate: '20120710',
      validDate: '20240401',
      expirationDate: '20291231',
      contributionRatio: '20',
      validity: '1',
    },
  },
  {
    id: 'garcia-maria',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000005',
    name: 'GARCIA MARIA',
    address: { formatted: '神奈川県横浜市中区日本大通1', postal_code: '231-0021' },
    birthdate: '1990-11-02',
    gender: 'female',
    noticeCount: 30,
    todoCount: 2,
    insurance: {
      insurerNumber: '141002',
      insurerName: '横浜市',
      symbol: '横浜',
      number: '5550001',
      branch: '00',
      classification: '1',
      qualificationDate: '20230901',
      validDate: '20230901',
      contributionRatio: '30',
      validity: '2',
    },
  },
  {
    id: 'ito-empty',
    subject: '6b1f0c3e-5a3d-4f0e-9a51-000000000006',
    name: '伊藤 健',
    address: { formatted: '福岡県福岡市中央区天神1丁目8番1号', postal_code: '810-8620' },
    birthdate: '2001-03-15',
    gender: 'male',
    noticeCount: 0,
    todoCount: 0,
    insurance: null,
  },
];

export function personaById(id: string | undefined): Persona | undefined {
  return PERSONAS.find((p) => p.id === id);
}

export function personaBySubject(subject: string): Persona | undefined {
  return PERSONAS.find((p) => p.subject === subject);
}

/** `login_hint` of a generated persona (e.g. `bench-000123`): benchmarks need many distinct people. */
export const GENERATED_PERSONA_ID = /^bench-(\d{1,12})$/;
const GENERATED_SUBJECT = /^00000000-0000-4000-8000-(\d{12})$/;

/**
 * A persona made up from its number, for simulators started with `generatedPersonas: true`:
 * `bench-<n>` (any number of digits up to 12, `bench-000123` = `bench-123`) signs in as subject `00000000-0000-4000-8000-<n, 12 digits>` (default content data at
 * the Mynaportal simulator). Undefined for anything else.
 */
export function generatedPersona(idOrSubject: string | undefined): Persona | undefined {
  const n =
    GENERATED_PERSONA_ID.exec(idOrSubject ?? '')?.[1] ?? GENERATED_SUBJECT.exec(idOrSubject ?? '')?.[1];
  if (n === undefined) return undefined;
  const digits = n.padStart(12, '0');
  return {
    id: `bench-${digits}`,
    subject: `00000000-0000-4000-8000-${digits}`,
    name: `ベンチ 太郎 ${Number(n)}`,
    address: { formatted: '東京都千代田区霞が関二丁目1番2号', postal_code: '100-0013' },
    birthdate: '1980-01-01',
    gender: 'other',
    noticeCount: 20,
    todoCount: 2,
    insurance: null,
  };
}

/** How a simulator finds people: the fixed personas, plus generated ones when enabled. */
export interface PersonaDirectory {
  byId(id: string | undefined): Persona | undefined;
  bySubject(subject: string): Persona | undefined;
}

export function personaDirectory(options: { generated?: boolean } = {}): PersonaDirectory {
  if (!options.generated) return { byId: personaById, bySubject: personaBySubject };
  return {
    byId: (id) => personaById(id) ?? generatedPersona(id),
    bySubject: (subject) => personaBySubject(subject) ?? generatedPersona(subject),
  };
}
