import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { secretKeyObjects } from '../crypto/secret-keys.js';

/** A nonce is accepted this long after it was issued (API.md: nonces live 5 minutes). */
export const NONCE_LIFETIME_SECONDS = 300;
/** Nonces are minted per step, so one HMAC serves every request of a step. */
const STEP_SECONDS = 10;
const MAC_BYTES = 16;

/**
 * Stateless DPoP nonces (RFC 9449 §8): `<kid>.<issued-at, base 36>.<HMAC-SHA256 truncated>`. Any task
 * that holds the keys checks any task's nonce without shared storage; rotation adds a key in front
 * and keeps the old one until its nonces have expired (5 minutes). A nonce only stands in for the
 * phone's clock (it proves the proof was made after the nonce was issued), so it is not single use:
 * the jti store refuses replays.
 */
export class DpopNonces {
  private cached: { step: number; nonce: string } | null = null;
  /** As KeyObjects: a Buffer key costs Node ~15 µs more per HMAC (secretKeyObjects). */
  private readonly keys: ReadonlyMap<string, KeyObject>;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
  ) {
    this.keys = secretKeyObjects(keys);
  }

  /** The nonce to hand out now. */
  current(nowMs: number = Date.now()): string {
    const step = Math.floor(nowMs / 1000 / STEP_SECONDS) * STEP_SECONDS;
    if (this.cached?.step !== step) {
      const issued = step.toString(36);
      const mac = this.mac(this.keys.get(this.activeKeyId)!, this.activeKeyId, issued);
      this.cached = { step, nonce: `${this.activeKeyId}.${issued}.${mac.toString('base64url')}` };
    }
    return this.cached.nonce;
  }

  /** True for a nonce one of our keys issued within the last 5 minutes. */
  isValid(nonce: unknown, nowMs: number = Date.now()): boolean {
    if (typeof nonce !== 'string' || nonce.length > 128) return false;
    const [kid, issued, mac, extra] = nonce.split('.');
    if (extra !== undefined || !kid || !issued || !mac || !/^[0-9a-z]{1,10}$/.test(issued)) return false;
    const key = this.keys.get(kid);
    if (!key) return false;
    const age = nowMs / 1000 - parseInt(issued, 36);
    if (age < -STEP_SECONDS || age > NONCE_LIFETIME_SECONDS) return false;
    const given = Buffer.from(mac, 'base64url');
    return given.length === MAC_BYTES && timingSafeEqual(given, this.mac(key, kid, issued));
  }

  private mac(key: KeyObject, kid: string, issued: string): Buffer {
    return createHmac('sha256', key).update(`dpop-nonce.${kid}.${issued}`).digest().subarray(0, MAC_BYTES);
  }
}
