import { createHmac } from 'node:crypto';

/**
 * The `X-Myna-Signature` header of API.md: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<raw body>")>`, one `v1=` per secret (more than one while a secret is rotated).
 */
export function signWebhook(
  rawBody: string | Buffer,
  secrets: string | readonly string[],
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(rawBody)]);
  const v1 = list.map((secret) => `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`);
  return [`t=${timestamp}`, ...v1].join(',');
}

export interface WebhookDelivery {
  status: number;
  body: unknown;
  /** exactly what was sent, for tests that verify the signature themselves */
  sent: { rawBody: string; signature: string };
}

/** Signs a push webhook body and POSTs it to the BFF, as the real backend would. */
export async function sendWebhook(
  url: string,
  body: unknown,
  secrets: string | readonly string[],
): Promise<WebhookDelivery> {
  const rawBody = JSON.stringify(body);
  const signature = signWebhook(rawBody, secrets);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-myna-signature': signature },
    body: rawBody,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a non-JSON answer is reported as text
  }
  return { status: res.status, body: parsed, sent: { rawBody, signature } };
}
