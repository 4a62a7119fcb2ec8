import type { ErrorCode } from '../errors/error-code.js';
import type { Language } from './language.js';

interface Text {
  title: string;
  detail: string;
}

/** title/detail of every error code, in both languages the app speaks. */
export const problemTexts: Record<ErrorCode, Record<Language, Text>> = {
  VALIDATION_FAILED: {
    ja: { title: '入力内容に誤りがあります', detail: 'リクエストの内容を確認してください。' },
    en: { title: 'The request is invalid', detail: 'Check the fields listed in errors.' },
  },
  SESSION_REQUIRED: {
    ja: { title: 'ログインが必要です', detail: 'セッションが無効です。アプリでもう一度連携してください。' },
    en: {
      title: 'Session required',
      detail: 'The session is missing, expired or revoked. Link the app again.',
    },
  },
  LINK_EXPIRED: {
    ja: {
      title: 'マイナポータル連携の有効期限が切れました',
      detail: 'もう一度マイナポータル連携を行ってください。',
    },
    en: { title: 'The Mynaportal link has expired', detail: 'Link the app with Mynaportal again.' },
  },
  DPOP_PROOF_INVALID: {
    ja: {
      title: '端末の確認に失敗しました',
      detail:
        'この端末の鍵による証明（DPoP）がないか、正しくありません。アプリを最新にして再度お試しください。',
    },
    en: {
      title: 'The device proof is invalid',
      detail: 'The DPoP proof is missing, malformed, replayed or not from this device’s key.',
    },
  },
  LINK_STATE_INVALID: {
    ja: {
      title: '連携手続きが無効です',
      detail: '連携手続きの有効期限が切れたか、既に使用されています。最初からやり直してください。',
    },
    en: {
      title: 'The link request is invalid',
      detail: 'The link state is unknown, expired, already used or does not match. Start again.',
    },
  },
  NOT_FOUND: {
    ja: { title: '見つかりません', detail: '指定されたデータは存在しません。' },
    en: { title: 'Not found', detail: 'The requested resource does not exist.' },
  },
  SSO_TICKET_INVALID: {
    ja: {
      title: 'このリンクは使用できません',
      detail: 'リンクの有効期限が切れたか、既に使用されています。アプリからもう一度開いてください。',
    },
    en: {
      title: 'This link can no longer be used',
      detail: 'The link has expired or was already used. Open it again from the app.',
    },
  },
  SIGNATURE_INVALID: {
    ja: { title: '署名が無効です', detail: '署名がない、正しくない、または古すぎます。' },
    en: { title: 'Invalid signature', detail: 'The signature is missing, wrong or too old.' },
  },
  ADMIN_AUTH_REQUIRED: {
    ja: { title: '管理者認証が必要です', detail: '有効な管理者トークンを指定してください。' },
    en: { title: 'Admin authentication required', detail: 'Provide a valid admin token.' },
  },
  RATE_LIMITED: {
    ja: {
      title: 'リクエストが多すぎます',
      detail: 'しばらく時間をおいてから再度お試しください。',
    },
    en: { title: 'Too many requests', detail: 'Wait and try again later.' },
  },
  PAYLOAD_TOO_LARGE: {
    ja: { title: 'リクエストが大きすぎます', detail: 'リクエスト本文は64KiB以下にしてください。' },
    en: { title: 'Payload too large', detail: 'The request body must not exceed 64 KiB.' },
  },
  UPSTREAM_AUTH_FAILED: {
    ja: {
      title: '認証に失敗しました',
      detail: 'デジタル認証アプリでの認証を完了できませんでした。もう一度お試しください。',
    },
    en: {
      title: 'Authentication failed',
      detail: 'The Digital Authentication App rejected the exchange. Try again.',
    },
  },
  UPSTREAM_ERROR: {
    ja: {
      title: '連携先でエラーが発生しました',
      detail: '連携先システムから正しい応答がありませんでした。時間をおいて再度お試しください。',
    },
    en: {
      title: 'Upstream error',
      detail: 'An upstream system answered with an error. Try again later.',
    },
  },
  UPSTREAM_UNAVAILABLE: {
    ja: {
      title: '連携先が利用できません',
      detail: '連携先システムが一時的に利用できません。時間をおいて再度お試しください。',
    },
    en: {
      title: 'Upstream unavailable',
      detail: 'An upstream system is temporarily unavailable. Try again later.',
    },
  },
  INTERNAL: {
    ja: {
      title: 'システムエラーが発生しました',
      detail: '時間をおいて再度お試しください。解決しない場合はリクエストIDをお知らせください。',
    },
    en: {
      title: 'Internal error',
      detail: 'Try again later. If it persists, report the request id.',
    },
  },
};

/** Messages for field errors, keyed by rule; `{name}` is replaced from the rule's params. */
export const fieldMessages: Record<string, Record<Language, string>> = {
  required: { ja: '必須項目です。', en: 'is required.' },
  unknown: { ja: 'この項目は指定できません。', en: 'is not allowed.' },
  type: { ja: '{type}で指定してください。', en: 'must be a {type}.' },
  length: { ja: '{min}〜{max}文字で指定してください。', en: 'must be {min} to {max} characters long.' },
  maxLength: { ja: '{max}文字以下で指定してください。', en: 'must be at most {max} characters long.' },
  minLength: { ja: '{min}文字以上で指定してください。', en: 'must be at least {min} characters long.' },
  pattern: { ja: '形式が正しくありません。', en: 'has an invalid format.' },
  enum: { ja: '次のいずれかを指定してください: {values}', en: 'must be one of: {values}' },
  range: { ja: '{min}〜{max}の範囲で指定してください。', en: 'must be between {min} and {max}.' },
  min: { ja: '{min}以上で指定してください。', en: 'must be at least {min}.' },
  max: { ja: '{max}以下で指定してください。', en: 'must be at most {max}.' },
  arrayMaxSize: { ja: '{max}件以下で指定してください。', en: 'must contain at most {max} items.' },
  arrayMinSize: { ja: '{min}件以上で指定してください。', en: 'must contain at least {min} items.' },
  date: { ja: 'ISO 8601形式の日時で指定してください。', en: 'must be an ISO 8601 date-time.' },
  url: { ja: 'URLの形式が正しくありません。', en: 'must be a valid URL.' },
  json: { ja: 'JSONとして解析できません。', en: 'is not valid JSON.' },
  contentType: {
    ja: 'Content-Type は application/json を指定してください。',
    en: 'Content-Type must be application/json.',
  },
  invalid: { ja: '値が正しくありません。', en: 'is invalid.' },
};

const typeNames: Record<string, Record<Language, string>> = {
  string: { ja: '文字列', en: 'string' },
  boolean: { ja: '真偽値', en: 'boolean' },
  integer: { ja: '整数', en: 'integer' },
  number: { ja: '数値', en: 'number' },
  object: { ja: 'オブジェクト', en: 'object' },
  array: { ja: '配列', en: 'array' },
};

export function renderFieldMessage(
  rule: string,
  params: Record<string, string | number> | undefined,
  language: Language,
): string {
  const template = (fieldMessages[rule] ?? fieldMessages.invalid)[language];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined) return '';
    if (key === 'type') return typeNames[String(value)]?.[language] ?? String(value);
    return String(value);
  });
}
