#!/usr/bin/env node
// Signs one DPoP proof (RFC 9449) as the Myna App does, for trying the API by hand with curl.
//
//   node scripts/dpop-proof.mjs <key file> <METHOD> <URL> [session token] [nonce]
//   node scripts/dpop-proof.mjs <key file> --thumbprint
//
// The key file holds the device's private P-256 JWK; it is created on first use (a new
// "installation"). Development only: a real app keeps the key in the Secure Enclave / Android Keystore.
import { createHash, randomUUID } from 'node:crypto';
import { URL } from 'node:url';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

const [keyFile, method, url, sessionToken, nonce] = process.argv.slice(2);
if (!keyFile || !method) {
  console.error(
    'usage: dpop-proof.mjs <key file> <METHOD> <URL> [session token] [nonce] | <key file> --thumbprint',
  );
  process.exit(2);
}
if (!existsSync(keyFile)) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  writeFileSync(keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
}
const privateJwk = JSON.parse(readFileSync(keyFile, 'utf8'));
const publicJwk = { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };
if (method === '--thumbprint') {
  console.log(await calculateJwkThumbprint(publicJwk, 'sha256'));
  process.exit(0);
}
const target = new URL(url);
const claims = {
  jti: randomUUID(),
  htm: method.toUpperCase(),
  htu: `${target.origin}${target.pathname}`,
  iat: Math.floor(Date.now() / 1000),
};
if (sessionToken) claims.ath = createHash('sha256').update(sessionToken, 'ascii').digest('base64url');
if (nonce) claims.nonce = nonce;
const key = await importJWK({ ...privateJwk, alg: 'ES256' }, 'ES256');
console.log(
  await new SignJWT(claims).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk }).sign(key),
);
