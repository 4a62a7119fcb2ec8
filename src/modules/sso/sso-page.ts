import type { ErrorCode } from '../../common/errors/error-code.js';
import type { Language } from '../../common/i18n/language.js';
import { requestIdLabel, ssoPageTexts, type SsoPageKind } from './sso.messages.js';

/** Headers of every answer of the redirect route: nothing cached, no ticket leaked in a Referer. */
export const SSO_REDIRECT_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

export const SSO_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const pageOf: Partial<Record<ErrorCode, { kind: SsoPageKind; status: number }>> = {
  SSO_TICKET_INVALID: { kind: 'ticket', status: 400 },
  // a missing or malformed ticket parameter is just another unusable ticket
  VALIDATION_FAILED: { kind: 'ticket', status: 400 },
  LINK_EXPIRED: { kind: 'link', status: 401 },
  RATE_LIMITED: { kind: 'busy', status: 429 },
  UPSTREAM_UNAVAILABLE: { kind: 'unavailable', status: 503 },
  UPSTREAM_ERROR: { kind: 'error', status: 502 },
  UPSTREAM_AUTH_FAILED: { kind: 'error', status: 502 },
};

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The status and HTML page shown in the browser for an error code. */
export function renderSsoPage(
  code: ErrorCode,
  language: Language,
  requestId: string,
): { status: number; code: ErrorCode; html: string } {
  const page = pageOf[code] ?? { kind: 'error' as const, status: 500 };
  const shownCode: ErrorCode = code === 'VALIDATION_FAILED' ? 'SSO_TICKET_INVALID' : code;
  const text = ssoPageTexts[page.kind][language];
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(text.title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.7;color:#222}' +
    'h1{font-size:1.3rem}.action{font-weight:bold}.meta{color:#666;font-size:.8rem}</style></head>' +
    `<body data-code="${shownCode}"><h1>${escapeHtml(text.title)}</h1>` +
    `<p>${escapeHtml(text.detail)}</p><p class="action">${escapeHtml(text.action)}</p>` +
    `<p class="meta">${requestIdLabel[language]}: ${escapeHtml(requestId)} · ${shownCode}</p></body></html>`;
  return { status: page.status, code: shownCode, html };
}
