import { randomBytes } from 'node:crypto';
import { driveLogin } from '../simulators/oidc/drive-login';
import type { Operation } from './openapi-operations';
import type { AuthVariant } from './request-arbitrary';
import { forgedProof, forgedSignature, webhookSignature } from './forged-credentials';
import { send, type RawResponse } from './http-client';

/** A linked session, as the app holds it. */
export interface Session {
  sessionToken: string;
  userId: string;
  deviceId: string;
}

export interface CredentialOptions {
  baseUrl: string;
  /** Simulator persona (login_hint) whose session the fuzzer uses on session routes. */
  persona: string;
  /** Webhook HMAC secret (webhook routes get valid and forged signatures). */
  webhookSecret?: string;
  /** An operator's admin token. */
  adminToken?: string;
}

/** Links a persona over HTTP, as the app does: start → login at the provider → complete. */
export async function linkOverHttp(baseUrl: string, persona: string): Promise<Session> {
  const deviceId = `fuzz-${randomBytes(6).toString('hex')}`;
  const json = { 'content-type': 'application/json' };
  const start = await send(baseUrl, {
    method: 'POST',
    target: '/v1/link/start',
    headers: json,
    body: JSON.stringify({ deviceId, platform: 'android' }),
  });
  if (start.status !== 201) throw new Error(`link start answered ${start.status}: ${start.body}`);
  const { authorizationUrl } = JSON.parse(start.body) as { authorizationUrl: string };
  const login = await driveLogin(authorizationUrl, persona);
  const complete = await send(baseUrl, {
    method: 'POST',
    target: '/v1/link/complete',
    headers: json,
    body: JSON.stringify({ state: login.state, code: login.code, deviceId }),
  });
  if (complete.status !== 201) throw new Error(`link complete answered ${complete.status}: ${complete.body}`);
  const { sessionToken, userId } = JSON.parse(complete.body) as Session;
  return { sessionToken, userId, deviceId };
}

/**
 * Puts credentials on generated requests: a real session (re-linked when a request ended it, e.g.
 * `DELETE /v1/link`), the admin token, webhook signatures, and the forged variants of each.
 */
export class Credentials {
  private session?: Promise<Session>;
  private relinkNotBefore = 0;
  relinks = 0;

  constructor(private readonly options: CredentialOptions) {}

  async current(): Promise<Session | undefined> {
    if (!this.session) {
      if (Date.now() < this.relinkNotBefore) return undefined;
      this.relinks += 1;
      this.session = linkOverHttp(this.options.baseUrl, this.options.persona);
      // a refused link (e.g. 429 from a running system's rate limit) is retried a little later
      this.session.catch(() => {
        this.session = undefined;
        this.relinkNotBefore = Date.now() + 5_000;
      });
    }
    return this.session.catch(() => undefined);
  }

  /** Headers that (try to) authenticate a request whose method, target and body are final. */
  async headersFor(
    operation: Operation,
    variant: AuthVariant,
    pick: number,
    request: { method: string; target: string; body?: string | Buffer },
  ): Promise<Record<string, string>> {
    const htu = new URL(request.target.split('?')[0], this.options.baseUrl).toString();
    const forged = (): Record<string, string> =>
      variant === 'forged-proof' || variant === 'proof-of-another-key'
        ? { dpop: forgedProof(pick, { htm: request.method, htu }) }
        : {};
    switch (operation.auth) {
      case 'session': {
        if (variant === 'none') return {};
        if (variant === 'garbage-token')
          return { authorization: `Bearer ${randomBytes(32).toString('base64url')}` };
        const session = await this.current();
        const token = session?.sessionToken ?? randomBytes(32).toString('base64url');
        if (variant === 'wrong-scheme')
          return { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` };
        return { authorization: `Bearer ${token}`, ...forged() };
      }
      case 'admin': {
        if (variant === 'none') return {};
        const token = this.options.adminToken ?? '';
        if (variant === 'garbage-token' || !token)
          return { authorization: `Bearer ${randomBytes(24).toString('hex')}` };
        if (variant === 'wrong-scheme')
          return { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` };
        return { authorization: `Bearer ${token}` };
      }
      case 'webhook': {
        if (variant === 'none') return {};
        const secret = this.options.webhookSecret ?? 'unknown-secret';
        const body = request.body ?? '';
        if (variant === 'forged-signature')
          return { 'x-myna-signature': forgedSignature(pick, secret, body) };
        return { 'x-myna-signature': webhookSignature(secret, body) };
      }
      default:
        return forged();
    }
  }

  /** A session route answered that the session is gone: link again before the next request. */
  observe(operation: Operation, variant: AuthVariant, response: RawResponse): void {
    if (operation.auth !== 'session' || variant !== 'valid') return;
    // e.g. after a valid DELETE /v1/link: the next request learns it and the one after has a new session
    if (response.status === 401 && /SESSION_REQUIRED|LINK_EXPIRED/.test(response.body))
      this.session = undefined;
  }
}
