import { createPublicKey, hash, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { es256RawToDer } from '../crypto/ecdsa-signature.js';
import type { AppConfig } from '../../config/app-config.js';
import { DomainException } from '../errors/domain.exception.js';
import { ErrorCode } from '../errors/error-code.js';
import { DpopNonces } from './dpop-nonces.js';
import { DpopRejected, type DpopRejectionReason } from './dpop-rejection.js';
import { DpopReplayStore } from './dpop-replay.store.js';

/** A proof's `iat` may be this far from our clock without a nonce (API.md). */
export const IAT_TOLERANCE_SECONDS = 60;
const MAX_PROOF_LENGTH = 4096;
const KEY_CACHE_SIZE = 10_000;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The request a proof is checked against. */
export interface DpopRequest {
  /** HTTP method, upper case. */
  method: string;
  /** Path of the request without query or fragment. */
  path: string;
  /** Origin the request was sent to (scheme://host[:port]); accepted as htu only outside production. */
  origin: string;
  /** The value(s) of the DPoP header. */
  proof: string | string[] | undefined;
  /** The session token on session calls: the proof must carry its `ath`. */
  accessToken?: string;
}

export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: the device's identity. */
  thumbprint: string;
  /** A fresh nonce for the answer, when the proof relied on one (its phone's clock is off). */
  nextNonce?: string;
}

/** A proof that passed every check but the jti's (DpopVerifier.check). */
export interface CheckedProof extends VerifiedProof {
  jti: string;
}

interface CachedKey {
  key: KeyObject;
  thumbprint: string;
}

const jsonObject = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

/**
 * Checks DPoP proofs (RFC 9449) as API.md "Device binding" says: `typ` dpop+jwt, ES256 only, an
 * embedded public P-256 JWK, the signature, `htm`, `htu`, `iat` within 60 s or a valid nonce,
 * `ath` on session calls, and a `jti` never seen before (shared Redis store). It runs on every app
 * request, so imported keys are cached by their coordinates (a phone signs with the same key for
 * years) and the only I/O is one Redis SET. The one ES256 signature is checked with node:crypto's
 * synchronous `verify` (raw r‖s, RFC 7518 §3.4): jose's WebCrypto path costs 2.2× the CPU per proof
 * on this path (ADR 0006, "Cost"); jose still computes the RFC 7638 thumbprint.
 */
@Injectable()
export class DpopVerifier {
  readonly nonces: DpopNonces;
  private readonly publicBaseUrl: string;
  private readonly acceptRequestOrigin: boolean;
  private readonly keys = new Map<string, CachedKey>();

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly replays: DpopReplayStore,
  ) {
    const app = config.get('app', { infer: true });
    const dpop = config.get('dpop', { infer: true });
    this.publicBaseUrl = app.publicBaseUrl;
    this.acceptRequestOrigin = app.env !== 'production';
    this.nonces = new DpopNonces(dpop.nonceKeys, dpop.activeNonceKeyId);
  }

  /** Checks the proof and uses up its jti: what a route without a session needs (DpopGuard). */
  async verify(request: DpopRequest, nowMs: number = Date.now()): Promise<VerifiedProof> {
    const proof = await this.check(request, nowMs);
    if (!(await this.firstUse(proof))) throw invalidProof('replay');
    return proof.nextNonce
      ? { thumbprint: proof.thumbprint, nextNonce: proof.nextNonce }
      : { thumbprint: proof.thumbprint };
  }

  /**
   * Every check but the jti's (no I/O once the key is known): SessionGuard then sends the jti with
   * the session's other Redis commands in one write. The jti must still be used up (`firstUse`)
   * before the request is accepted.
   */
  async check(request: DpopRequest, nowMs: number = Date.now()): Promise<CheckedProof> {
    const proof = request.proof;
    if (typeof proof !== 'string' || proof.length > MAX_PROOF_LENGTH) throw invalidProof('missing');
    const parts = proof.split('.');
    if (parts.length !== 3) throw invalidProof('malformed');
    const header = jsonObject(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (!header || header.typ !== 'dpop+jwt' || header.alg !== 'ES256') throw invalidProof('header');
    const cached = await this.publicKey(header.jwk);

    if (!signatureValid(parts, cached.key)) throw invalidProof('signature');
    const claims = jsonObject(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!claims) throw invalidProof('malformed');
    const { jti, htm, htu, iat, ath, nonce } = claims;
    if (typeof jti !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(jti)) throw invalidProof('jti');
    if (htm !== request.method) throw invalidProof('htm');
    if (typeof htu !== 'string' || !this.htuMatches(htu, request)) throw invalidProof('htu');
    if (request.accessToken !== undefined && !athMatches(ath, request.accessToken)) throw invalidProof('ath');
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalidProof('iat');

    const withNonce = nonce !== undefined && this.nonces.isValid(nonce, nowMs);
    if (!withNonce && Math.abs(nowMs / 1000 - iat) > IAT_TOLERANCE_SECONDS) {
      throw new DomainException(ErrorCode.DPOP_PROOF_INVALID, {
        cause: new DpopRejected('use_nonce'),
        headers: {
          'www-authenticate':
            'DPoP error="use_dpop_nonce", error_description="proof iat out of range", algs="ES256"',
          'dpop-nonce': this.nonces.current(nowMs),
        },
      });
    }
    // The jti is used up last (firstUse), so that only proofs that are otherwise good spend theirs.
    return withNonce
      ? { thumbprint: cached.thumbprint, jti, nextNonce: this.nonces.current(nowMs) }
      : { thumbprint: cached.thumbprint, jti };
  }

  /** True when this (key, jti) had not been seen: it is now recorded (shared Redis store). */
  firstUse(proof: CheckedProof): Promise<boolean> {
    return this.replays.firstUse(proof.thumbprint, proof.jti);
  }

  private htuMatches(htu: string, request: DpopRequest): boolean {
    // RFC 9449 §4.3: compared without query and fragment.
    const cut = htu.search(/[?#]/);
    const bare = cut === -1 ? htu : htu.slice(0, cut);
    if (bare === this.publicBaseUrl + request.path) return true;
    return this.acceptRequestOrigin && bare === request.origin + request.path;
  }

  private async publicKey(jwk: unknown): Promise<CachedKey> {
    if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw invalidProof('key');
    const k = jwk as Record<string, unknown>;
    if (k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.x !== 'string' || typeof k.y !== 'string') {
      throw invalidProof('key');
    }
    // A proof must never carry private key material (RFC 9449 §4.2).
    if (PRIVATE_JWK_MEMBERS.some((m) => m in k)) throw invalidProof('key');
    const id = `${k.x}.${k.y}`;
    const hit = this.keys.get(id);
    if (hit) {
      // least recently used first: a hit moves to the back
      this.keys.delete(id);
      this.keys.set(id, hit);
      return hit;
    }
    const publicJwk = { kty: 'EC', crv: 'P-256', x: k.x, y: k.y };
    let entry: CachedKey;
    try {
      entry = {
        key: createPublicKey({ key: publicJwk, format: 'jwk' }),
        thumbprint: ecThumbprint(publicJwk),
      };
    } catch {
      throw invalidProof('key');
    }
    if (this.keys.size >= KEY_CACHE_SIZE) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(id, entry);
    return entry;
  }
}

/**
 * RFC 7638 SHA-256 thumbprint of an EC public key: its required members in lexicographic order,
 * no whitespace (JSON.stringify of them in that order). Synchronous: jose's WebCrypto digest cost
 * ~1 ms of CPU per new key under load (a new device on every link completion). Checked against
 * jose's calculateJwkThumbprint in the tests.
 */
function ecThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  return hash('sha256', JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }), 'base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The JWS signature over `header.payload`, as ES256 with the proof's own P-256 key. */
function signatureValid([header, payload, signature]: string[], key: KeyObject): boolean {
  // Node's base64url decoder skips characters outside the alphabet: refuse them before decoding.
  if (!BASE64URL.test(header) || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return false;
  // r‖s as DER, checked with the KeyObject itself: Node's own conversion (the options-object
  // form) cost ~40 µs more per proof (ecdsa-signature.ts)
  const der = es256RawToDer(Buffer.from(signature, 'base64url'));
  if (!der) return false;
  try {
    return verify('sha256', Buffer.from(`${header}.${payload}`, 'ascii'), key, der);
  } catch {
    return false;
  }
}

function athMatches(ath: unknown, accessToken: string): boolean {
  if (typeof ath !== 'string') return false;
  const expected = Buffer.from(hash('sha256', accessToken, 'base64url'));
  const given = Buffer.from(ath);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** 401 DPOP_PROOF_INVALID with the RFC 9449 challenge. */
export function invalidProof(reason: DpopRejectionReason): DomainException {
  return new DomainException(ErrorCode.DPOP_PROOF_INVALID, {
    cause: new DpopRejected(reason),
    headers: { 'www-authenticate': 'DPoP error="invalid_dpop_proof", algs="ES256"' },
  });
}
