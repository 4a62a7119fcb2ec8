import { createHash } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../config/app-config.js';
import { AdminTokenVerifier } from './admin-token.verifier.js';

const sha = (t: string): Buffer => createHash('sha256').update(t).digest();

function verifier(tokens: AppConfig['admin']['tokens']): AdminTokenVerifier {
  const config = { get: () => ({ tokens }) } as unknown as ConfigService<AppConfig, true>;
  return new AdminTokenVerifier(config);
}

describe('AdminTokenVerifier', () => {
  const v = verifier([
    { operator: 'alice', sha256: sha('a-old') },
    { operator: 'alice', sha256: sha('a-new') },
    { operator: 'bob', sha256: sha('b') },
  ]);

  it('names the operator of any of their tokens', () => {
    expect(v.operatorFor('a-old')).toBe('alice');
    expect(v.operatorFor('a-new')).toBe('alice');
    expect(v.operatorFor('b')).toBe('bob');
  });

  it('refuses unknown, empty and over-long tokens and the hash itself', () => {
    expect(v.operatorFor('a-ne')).toBeNull();
    expect(v.operatorFor('')).toBeNull();
    expect(v.operatorFor('x'.repeat(513))).toBeNull();
    expect(v.operatorFor(sha('b').toString('hex'))).toBeNull();
  });

  it('with no tokens configured refuses everything', () => {
    expect(verifier([]).operatorFor('a-new')).toBeNull();
  });
});
