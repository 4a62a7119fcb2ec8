import { createHash, createHmac } from 'node:crypto';
import { PERSONAS } from './personas.js';

/**
 * The banner `npm run dev` prints once the stack is up: where everything is, who can sign in, the
 * development admin token and webhook secret, and a push webhook call ready to paste (signed now,
 * valid 300 s) with a one-line shell version that signs again with openssl.
 */
export const DEV_ADMIN_TOKEN = 'dev-admin-token';
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret';

/** ADMIN_TOKENS entry for the development admin token: `dev:<hex SHA-256 of the token>`. */
export function devAdminTokens(): string {
  return `dev:${createHash('sha256').update(DEV_ADMIN_TOKEN).digest('hex')}`;
}

/** `X-Myna-Signature` as API.md defines it: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function webhookSignature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export const DEMO_PUSH_BODY = JSON.stringify({
  notificationId: 'demo-1',
  noticeId: null,
  audience: { type: 'all' },
  message: { title: { ja: 'お知らせ' }, body: { ja: '新しいお知らせがあります' } },
});

/** Single-quoted for a POSIX shell. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface BannerUrls {
  apiPort: number;
  workerPort: number;
  oidcIssuer: string;
  oidcUrl: string;
  portalUrl: string;
  fcmUrl: string;
  fcmProjectId: string;
}

export function devBanner(u: BannerUrls, now = Math.floor(Date.now() / 1000)): string {
  const webhook = `http://localhost:${u.apiPort}/v1/webhooks/push`;
  const signature = webhookSignature(DEV_WEBHOOK_SECRET, DEMO_PUSH_BODY, now);
  const personas = PERSONAS.map((p) => `${p.id} (${p.name})`).join(', ');
  const bold = (s: string): string => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
  return `
${bold('myna-bff development stack')}
  API          http://localhost:${u.apiPort}        docs http://localhost:${u.apiPort}/docs   metrics http://localhost:${u.apiPort}/metrics
  worker       http://localhost:${u.workerPort}/health/live   metrics http://localhost:${u.workerPort}/metrics
  OIDC         ${u.oidcIssuer}   control ${u.oidcUrl}/__control
  Mynaportal   ${u.portalUrl}/api/v1          control ${u.portalUrl}/__control  (push: POST ${u.portalUrl}/__control/push)
  FCM          ${u.fcmUrl}/v1/projects/${u.fcmProjectId}/messages:send   control ${u.fcmUrl}/__control

  personas       login_hint= ${personas}
  admin token    ${DEV_ADMIN_TOKEN}      (Authorization: Bearer ${DEV_ADMIN_TOKEN})
  webhook secret ${DEV_WEBHOOK_SECRET}

  a push webhook, signed now (the signature's t is valid for 300 s):
    curl -sS -X POST ${webhook} -H 'content-type: application/json' \\
      -H ${sq(`X-Myna-Signature: ${signature}`)} \\
      -d ${sq(DEMO_PUSH_BODY)}

  the same, signed afresh each time (openssl):
    t=$(date +%s); body=${sq(DEMO_PUSH_BODY)}; sig=$(printf '%s' "$t.$body" | openssl dgst -sha256 -hmac ${sq(DEV_WEBHOOK_SECRET)} | sed 's/^.* //'); curl -sS -X POST ${webhook} -H 'content-type: application/json' -H "X-Myna-Signature: t=$t,v1=$sig" -d "$body"
`;
}
