import { randomBytes } from 'node:crypto';
import { driveLogin } from '../simulators/oidc/drive-login';
import { DpopClient } from '../support/dpop-client';
import type { Operation } from './openapi-operations';
import type { AuthVariant } from './request-arbitrary';
import { forgedProof, forgedSignature, webhookSignature } from './forged-credentials';
import { send, type RawResponse } from './http-client';

/** A linked session, as the app holds it, with its device key. */
export interface Session {
  sessionToken: string;
  userId: string;
  deviceId: string;
  key: DpopClient;
}

export interface CredentialOptions {
  baseUrl: string;
  /** Simulator persona (login_hint) whose session the fuzzer uses on session routes. */
  persona: string;
  /** Webhook HMAC secret (webhook routes get valid and forged signatures). */
  webhookSecret?: string;
  /** An operator's admin token. */
  adminToken?: string;
  /** Told about each request the linking itself sends (the log review collects their ids and proofs). */
  onLinkRequest?: (headers: Record<string, string>, response: RawResponse) => void;
}

/** Links a persona over HTTP, as the app does: start → login at the provider → complete. */
export async function linkOverHttp(
  baseUrl: string,
  persona: string,
  onRequest: CredentialOptions['onLinkRequest'] = () => undefined,
): Promise<Session> {
  const deviceId = `fuzz-${randomBytes(6).toString('hex')}`;
  const key = await DpopClient.create();
  const json = { 'content-type': 'application/json' };
  const startHeaders = { ...json, ...(await key.headers('POST', `${baseUrl}/v1/link/start`)) };
  const start = await send(baseUrl, {
    method: 'POST',
    target: '/v1/link/start',
    headers: startHeaders,
    body: JSON.stringify({ deviceId, platform: 'android' }),
  });
  onRequest(startHeaders, start);
  key.observe(start.headers);
  if (start.status !== 201) throw new Error(`link start answered ${start.status}: ${start.body}`);
  const { authorizationUrl } = JSON.parse(start.body) as { authorizationUrl: string };
  const login = await driveLogin(authorizationUrl, persona);
  const completeHeaders = { ...json, ...(await key.headers('POST', `${baseUrl}/v1/link/complete`)) };
  const complete = await send(baseUrl, {
    method: 'POST',
    target: '/v1/link/complete',
    headers: completeHeaders,
    body: JSON.stringify({ state: login.state, code: login.code, deviceId }),
  });
  onRequest(completeHeaders, complete);
  if (complete.status !== 201) throw new Error(`link complete answered ${complete.status}: ${complete.body}`);
  key.observe(complete.headers);
  const { sessionToken, userId } = JSON.parse(complete.body) as Session;
  return { sessionToken, userId, deviceId, key };
}

/**
 * Puts credentials on generated requests: a real session (re-linked when a request ended it, e.g.
 * `DELETE /v1/link`), the admin token, webhook signatures, and the forged variants of each.
 */
export class Credentials {
  private session?: Promise<Session>;
  private relinkNotBefore = 0;
  /** The key of the unauthenticated calls (link start and complete also carry a proof). */
  private anonymous?: Promise<DpopClient>;
  private anonymousUses = 0;
  relinks = 0;

  constructor(private readonly options: CredentialOptions) {}

  /** A fresh key every few calls: the per-key link limit would otherwise refuse most of them (429). */
  private anonymousKey(): Promise<DpopClient> {
    if (!this.anonymous || this.anonymousUses++ % 5 === 0) this.anonymous = DpopClient.create();
    return this.anonymous;
  }

  async current(): Promise<Session | undefined> {
    if (!this.session) {
      if (Date.now() < this.relinkNotBefore) return undefined;
      this.relinks += 1;
      this.session = linkOverHttp(this.options.baseUrl, this.options.persona, this.options.onLinkRequest);
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
    // htu: the origin the request is sent to (accepted outside production) and the path, no query
    let htu: string;
    try {
      htu = new URL(request.target.split('?')[0], this.options.baseUrl).toString();
    } catch {
      htu = `${this.options.baseUrl}/`;
    }
    const proof = async (key: DpopClient, token?: string): Promise<string> => {
      if (variant === 'forged-proof') return forgedProof(pick, { htm: request.method, htu });
      // a well-made proof, but by a key that is not the device's
      const signer = variant === 'proof-of-another-key' ? await DpopClient.create() : key;
      return signer.proof({ htm: request.method, htu, accessToken: token });
    };
    switch (operation.auth) {
      case 'session': {
        if (variant === 'none') return {};
        const session = await this.current();
        const key = session?.key ?? (await this.anonymousKey());
        if (variant === 'garbage-token') {
          const token = randomBytes(32).toString('base64url');
          return { authorization: `DPoP ${token}`, dpop: await proof(key, token) };
        }
        const token = session?.sessionToken ?? randomBytes(32).toString('base64url');
        if (variant === 'wrong-scheme') {
          // a stolen token replayed as a bearer token, or in Basic: worthless without the proof
          return pick % 2 === 0
            ? { authorization: `Bearer ${token}` }
            : {
                authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
                dpop: await proof(key, token),
              };
        }
        return { authorization: `DPoP ${token}`, dpop: await proof(key, token) };
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
      default: {
        // app routes without a session still carry a proof (API.md Device binding)
        if (!request.target.startsWith('/v1/')) return {};
        return { dpop: await proof(await this.anonymousKey()) };
      }
    }
  }

  /** A session route answered that the session is gone: link again before the next request. */
  observe(operation: Operation, variant: AuthVariant, response: RawResponse): void {
    if (variant !== 'valid') return;
    // a DPoP-Nonce the BFF gave goes into the next proofs of that key
    if (operation.auth === 'none') void this.anonymous?.then((key) => key.observe(response.headers));
    if (operation.auth !== 'session') return;
    void this.session?.then((s) => s.key.observe(response.headers)).catch(() => undefined);
    // e.g. after a valid DELETE /v1/link: the next request learns it and the one after has a new session
    if (response.status === 401 && /SESSION_REQUIRED|LINK_EXPIRED/.test(response.body))
      this.session = undefined;
  }
}
