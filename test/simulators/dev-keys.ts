import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { generateClientKeys } from './oidc/client-keys.js';

/**
 * Writes fresh development secrets as a shell env file (for docker compose, where the BFF and the
 * provider simulator must share a key pair): the BFF's private_key_jwt key, the matching public
 * JWKS for the simulator, and a token-encryption key. Nothing here is ever committed.
 */
const out = process.argv[2] ?? '/keys/dev.env';
const keys = generateClientKeys('dev-bff');
const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
const lines = [
  `export OIDC_CLIENT_PRIVATE_JWK=${quote(JSON.stringify(keys.privateJwk))}`,
  `export SIM_OIDC_CLIENT_JWKS=${quote(JSON.stringify({ keys: [keys.publicJwk] }))}`,
  `export TOKEN_ENCRYPTION_KEYS=${quote(`dev1:${randomBytes(32).toString('base64')}`)}`,
  `export TOKEN_ENCRYPTION_ACTIVE_KEY_ID=dev1`,
];
writeFileSync(out, `${lines.join('\n')}\n`, { mode: 0o644 });
console.log(`development secrets written to ${out}`);
