import type { Language } from '../../common/i18n/language.js';

export type SsoPageKind = 'ticket' | 'link' | 'busy' | 'unavailable' | 'error';

interface PageText {
  title: string;
  detail: string;
  /** what the person should do now */
  action: string;
}

/** Texts of the HTML pages GET /v1/sso/redirect shows in the browser when it cannot redirect. */
export const ssoPageTexts: Record<SsoPageKind, Record<Language, PageText>> = {
  ticket: {
    ja: {
      title: 'このリンクは使用できません',
      detail:
        'マイナポータルを開くためのリンクは、発行から60秒以内に1回だけ使用できます。このリンクは有効期限が切れたか、既に使用されています。',
      action: 'マイナアプリに戻り、もう一度「マイナポータルを開く」を押してください。',
    },
    en: {
      title: 'This link can no longer be used',
      detail:
        'A link to open Mynaportal works once, within 60 seconds of being issued. This one has expired or was already used.',
      action: 'Go back to the Myna App and tap "Open Mynaportal" again.',
    },
  },
  link: {
    ja: {
      title: 'マイナポータル連携の有効期限が切れました',
      detail: 'このアプリとマイナポータルの連携が無効になっています。',
      action: 'マイナアプリに戻り、もう一度マイナポータル連携を行ってください。',
    },
    en: {
      title: 'The Mynaportal link has expired',
      detail: 'The link between the app and Mynaportal is no longer valid.',
      action: 'Go back to the Myna App and link it with Mynaportal again.',
    },
  },
  busy: {
    ja: {
      title: 'アクセスが集中しています',
      detail: '短い時間に多くのリクエストがありました。',
      action: 'しばらく待ってから、マイナアプリからもう一度お試しください。',
    },
    en: {
      title: 'Too many requests',
      detail: 'There were too many requests in a short time.',
      action: 'Wait a moment, then try again from the Myna App.',
    },
  },
  unavailable: {
    ja: {
      title: 'マイナポータルに接続できません',
      detail: 'マイナポータルが一時的に利用できません。',
      action: 'しばらく待ってから、マイナアプリからもう一度お試しください。',
    },
    en: {
      title: 'Mynaportal cannot be reached',
      detail: 'Mynaportal is temporarily unavailable.',
      action: 'Wait a while, then try again from the Myna App.',
    },
  },
  error: {
    ja: {
      title: 'マイナポータルを開けませんでした',
      detail: 'マイナポータルへのログイン中にエラーが発生しました。',
      action:
        'しばらく待ってから、マイナアプリからもう一度お試しください。解決しない場合は、下のリクエストIDをお問い合わせ窓口にお知らせください。',
    },
    en: {
      title: 'Mynaportal could not be opened',
      detail: 'An error occurred while signing in to Mynaportal.',
      action:
        'Wait a while, then try again from the Myna App. If it keeps happening, tell the help desk the request id below.',
    },
  },
};

export const requestIdLabel: Record<Language, string> = { ja: 'リクエストID', en: 'Request id' };
