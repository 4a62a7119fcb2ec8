import { createHash, createPrivateKey, randomUUID, sign, type KeyObject, type webcrypto } from 'node:crypto';
import { es256DerToRaw } from '../../src/common/crypto/ecdsa-signature.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/** What a proof claims (RFC 9449 §4.2); each can be overridden to build a bad proof on purpose. */
export interface DpopProofOptions {
  /** HTTP method, e.g. 'GET'. */
  htm: string;
  /** Absolute URL of the call; query and fragment are dropped, as RFC 9449 asks. */
  htu: string;
  /** The session token: adds `ath` = base64url(SHA-256(token)). */
  accessToken?: string;
  /** A DPoP-Nonce the server gave; defaults to the last one this client saw (see observe). */
  nonce?: string | null;
  /** Unix seconds; default now. */
  iat?: number;
  /** Default a fresh UUID. */
  jti?: string;
  /** Replace `ath` (e.g. with a wrong hash). */
  ath?: string;
  /** Extra or replacement protected-header members (e.g. `{ typ: 'JWT' }`). */
  header?: Record<string, unknown>;
}

/** A request's DPoP headers: `dpop`, and `authorization: DPoP <token>` when a session is given. */
export type DpopHeaders = Record<string, string>;

/**
 * The test side of device binding: one P-256 key per simulated phone, signing DPoP proofs (RFC 9449)
 * as the app does. Used by the test helpers, the simulators' helpers and the benchmarks.
 *
 *   const key = await DpopClient.create();
 *   const headers = await key.headers('GET', `${baseUrl}/v1/notices`, sessionToken);
 *   const res = await fetch(`${baseUrl}/v1/notices`, { headers });
 *   key.observe(res.headers);           // remembers a DPoP-Nonce the server sent
 *
 * With fastify.inject, pass the app's PUBLIC_BASE_URL as the origin of the htu (see injectHeaders).
 */
export class DpopClient {
  /** The last DPoP-Nonce a response carried; sent in every later proof. */
  nonce: string | null = null;

  private constructor(
    private readonly privateKey: webcrypto.CryptoKey,
    /** The same key for node:crypto, for proofSync. */
    private readonly keyObject: KeyObject,
    /** The public JWK that goes into every proof's header. */
    readonly publicJwk: JWK,
    /** RFC 7638 SHA-256 thumbprint of the public key: the device's identity at the BFF. */
    readonly thumbprint: string,
  ) {}

  /** A new key pair, like a fresh app installation. */
  static async create(): Promise<DpopClient> {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    return DpopClient.fromPrivateJwk(await exportJWK(privateKey));
  }

  /** A client for a fixed private JWK (worked examples, reproducible benchmarks). */
  static async fromPrivateJwk(jwk: JWK): Promise<DpopClient> {
    const privateKey = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as webcrypto.CryptoKey;
    const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
    const keyObject = createPrivateKey({ key: { ...jwk }, format: 'jwk' });
    return new DpopClient(
      privateKey,
      keyObject,
      publicJwk,
      await calculateJwkThumbprint(publicJwk, 'sha256'),
    );
  }

  /** The claims of a proof: fresh jti and iat, htu without query, ath and the last nonce when due. */
  private claims(options: DpopProofOptions): Record<string, unknown> {
    const url = new URL(options.htu);
    const claims: Record<string, unknown> = {
      jti: options.jti ?? randomUUID(),
      htm: options.htm.toUpperCase(),
      htu: `${url.origin}${url.pathname}`,
      iat: options.iat ?? Math.floor(Date.now() / 1000),
    };
    const ath = options.ath ?? (options.accessToken ? accessTokenHash(options.accessToken) : undefined);
    if (ath) claims.ath = ath;
    const nonce = options.nonce === undefined ? this.nonce : options.nonce;
    if (nonce) claims.nonce = nonce;
    return claims;
  }

  /** A compact JWS proof. */
  async proof(options: DpopProofOptions): Promise<string> {
    const claims = this.claims(options);
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: this.publicJwk, ...options.header })
      .sign(this.privateKey);
  }

  /**
   * The same proof, signed synchronously with node:crypto (ES256, IEEE P1363 signature): for load
   * generators whose request hooks cannot await (autocannon's setupRequest). Signed as DER and
   * converted, the cheaper path (ecdsa-signature.ts): the generator shares the cores with the BFF.
   */
  proofSync(options: DpopProofOptions): string {
    const claims = this.claims(options);
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: this.publicJwk, ...options.header })}.${b64(claims)}`;
    const signature = es256DerToRaw(sign('sha256', Buffer.from(input), this.keyObject));
    return `${input}.${signature.toString('base64url')}`;
  }

  /** Headers for one call to an absolute URL: a fresh proof, plus the session when given. */
  async headers(method: string, url: string, sessionToken?: string): Promise<DpopHeaders> {
    const dpop = await this.proof({ htm: method, htu: url, accessToken: sessionToken });
    return sessionToken ? { dpop, authorization: `DPoP ${sessionToken}` } : { dpop };
  }

  /**
   * Headers for fastify.inject / supertest, whose URLs are paths: `origin` is the app's
   * PUBLIC_BASE_URL (TestApp.config.app.publicBaseUrl).
   */
  injectHeaders(origin: string, method: string, path: string, sessionToken?: string): Promise<DpopHeaders> {
    return this.headers(method, `${origin}${path}`, sessionToken);
  }

  /** Remembers the DPoP-Nonce of a response (fetch Headers or a plain header object). */
  observe(headers: Headers | Record<string, unknown>): void {
    const value =
      typeof (headers as Headers).get === 'function'
        ? (headers as Headers).get('dpop-nonce')
        : (headers as Record<string, unknown>)['dpop-nonce'];
    if (typeof value === 'string' && value) this.nonce = value;
  }
}

/** base64url(SHA-256(token)): the `ath` claim of a proof sent with a session token. */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}
