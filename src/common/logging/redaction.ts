/**
 * What never reaches the logs: credentials, tokens, session ids and personal data (names,
 * addresses, birthdates). Paths are pino redact paths (fast-redact syntax); `*` matches one level.
 * test: src/common/logging/logger.spec.ts and test/foundation/logging.e2e-spec.ts.
 */
const sensitiveKeys = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-myna-signature',
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'sessionToken',
  'pushToken',
  'codeVerifier',
  'code_verifier',
  'nonce',
  'ticket',
  'clientAssertion',
  'client_assertion',
  'name',
  'address',
  'birthdate',
  'gender',
];

export const redactPaths: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-myna-signature"]',
  'res.headers["set-cookie"]',
  ...sensitiveKeys.map((k) => (k.includes('-') ? `["${k}"]` : k)),
  ...sensitiveKeys.map((k) => (k.includes('-') ? `*["${k}"]` : `*.${k}`)),
  ...sensitiveKeys.map((k) => (k.includes('-') ? `*.*["${k}"]` : `*.*.${k}`)),
];

export const REDACTED = '[REDACTED]';
