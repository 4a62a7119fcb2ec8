import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks `X-Myna-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]` against HMAC-SHA256(secret,
 * "<t>.<raw body>") for every configured secret (rotation), in constant time, within ±300 s.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: string[],
  nowSeconds: number,
): boolean {
  if (!header || header.length > 2048) return false;
  let t: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) t = value;
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value) && signatures.length < 8)
      signatures.push(Buffer.from(value, 'hex'));
  }
  if (t === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
    for (const candidate of signatures)
      if (candidate.length === expected.length && timingSafeEqual(expected, candidate)) ok = true;
  }
  return ok;
}

/** The header value for a body (used by the dev stack's curl example and by tests). */
export function signWebhook(secret: string, rawBody: string, nowSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${nowSeconds}.${rawBody}`).digest('hex');
  return `t=${nowSeconds},v1=${mac}`;
}
