import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import { DpopVerifier } from '../../src/common/dpop/dpop-verifier';
import { accessTokenHash } from '../support/dpop-client';

/** The worked DPoP example of the API guides (en, ja) is true: key, thumbprint, ath, proof. */
describe.each(['docs/api-guide.md', 'docs/api-guide.ja.md'])('DPoP worked example in %s', (file) => {
  const text = readFileSync(resolve(__dirname, '../..', file), 'utf8');
  const section = text.slice(text.indexOf('## A1b.'), text.indexOf('## A2.'));
  const blocks = [...section.matchAll(/```(json|text)\n([\s\S]*?)\n```/g)].map((m) => m[2]);
  const privateJwk = JSON.parse(blocks[0]) as JWK;
  const claims = JSON.parse(blocks[1]) as Record<string, unknown>;
  const proof = blocks[2].trim();
  const publicJwk = { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };

  it('names the RFC 7638 thumbprint and the ath of the key and token it shows', async () => {
    const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
    expect(section).toContain(`\`${thumbprint}\``);
    const token = /Authorization: DPoP ([A-Za-z0-9_-]{43})/.exec(section)![1];
    expect(section).toContain(`\`${token}\``);
    expect(section).toContain(`\`${accessTokenHash(token)}\``);
    expect(claims.ath).toBe(accessTokenHash(token));
  });

  it('shows a proof that verifies with that key and carries those claims', async () => {
    const { payload, protectedHeader } = await compactVerify(proof, await importJWK(publicJwk, 'ES256'));
    expect(protectedHeader).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk });
    expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual(claims);
  });

  it('is accepted by the BFF verifier at that time, for that URL and token', async () => {
    const config = {
      get: (key: string) =>
        key === 'app'
          ? { publicBaseUrl: 'https://api.myna.example', env: 'production' }
          : { nonceKeys: new Map([['n1', Buffer.alloc(32, 1)]]), activeNonceKeyId: 'n1' },
    };
    const verifier = new DpopVerifier(config as never, { firstUse: async () => true } as never);
    const token = /Authorization: DPoP ([A-Za-z0-9_-]{43})/.exec(section)![1];
    const verified = await verifier.verify(
      { method: 'GET', path: '/v1/notices', origin: '', proof, accessToken: token },
      (claims.iat as number) * 1000 + 5_000,
    );
    expect(verified.thumbprint).toBe(await calculateJwkThumbprint(publicJwk, 'sha256'));
  });
});
