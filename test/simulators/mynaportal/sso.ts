import { randomBytes } from 'node:crypto';
import { personaBySubject } from '../personas.js';

const TTL_MS = 60_000;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface SsoSession {
  subject: string;
  returnTo: string;
  expiresAt: number;
}

/**
 * One-time login URLs into the (simulated) Mynaportal web. Opening one shows who was signed in,
 * so a test or a person at a browser can see that the SSO carried the right person.
 */
export class SsoSessions {
  private readonly sessions = new Map<string, SsoSession>();

  constructor(private readonly baseUrl: () => string) {}

  create(subject: string, returnTo: string): { loginUrl: string; expiresIn: number } {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { subject, returnTo, expiresAt: Date.now() + TTL_MS });
    return { loginUrl: `${this.baseUrl()}/sso/login?session=${id}`, expiresIn: TTL_MS / 1000 };
  }

  /** Uses a login URL up: the page to show and its status. */
  consume(id: string | undefined): { status: number; html: string } {
    const session = id ? this.sessions.get(id) : undefined;
    if (id) this.sessions.delete(id);
    if (!session || session.expiresAt < Date.now()) {
      return {
        status: 400,
        html: page(
          'ログインできません',
          '<p>このログインURLは無効か、使用済みか、期限切れです。アプリからもう一度開いてください。</p><p>This login link is invalid, used or expired.</p>',
        ),
      };
    }
    const name = personaBySubject(session.subject)?.name ?? '(unknown person)';
    return {
      status: 200,
      html: page(
        'マイナポータル (simulator)',
        `<p>ログイン中: <strong id="name">${escapeHtml(name)}</strong></p>` +
          `<p>subject: <code id="subject">${escapeHtml(session.subject)}</code></p>` +
          `<p>returnTo: <code id="returnTo">${escapeHtml(session.returnTo)}</code></p>`,
      ),
    };
  }

  clear(): void {
    this.sessions.clear();
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1>${body}</html>`;
}
