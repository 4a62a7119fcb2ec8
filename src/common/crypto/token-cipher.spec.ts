import { randomBytes } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config';
import { TokenCipher } from './token-cipher';

function cipherWith(keys: Record<string, Buffer>, activeKeyId: string): TokenCipher {
  const config = {
    get: () => ({ keys: new Map(Object.entries(keys)), activeKeyId }),
  } as unknown as ConfigService<AppConfig, true>;
  return new TokenCipher(config);
}

describe('TokenCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips and never contains the plaintext', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    const blob = cipher.encrypt('refresh-token-value', 'ctx');
    expect(blob.toString('latin1')).not.toContain('refresh-token-value');
    expect(cipher.decrypt(blob, 'ctx')).toBe('refresh-token-value');
    expect(cipher.keyIdOf(blob)).toBe('k1');
  });

  it('uses a fresh IV every time', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    expect(cipher.encrypt('same', 'ctx').equals(cipher.encrypt('same', 'ctx'))).toBe(false);
  });

  it('rotates: the new key encrypts, the old key still decrypts', () => {
    const old = cipherWith({ k1 }, 'k1').encrypt('old-value', 'ctx');
    const rotated = cipherWith({ k1, k2 }, 'k2');
    expect(rotated.decrypt(old, 'ctx')).toBe('old-value');
    expect(rotated.keyIdOf(rotated.encrypt('new-value', 'ctx'))).toBe('k2');
  });

  it('refuses a ciphertext from another context, a tampered one, or one whose key is gone', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    const blob = cipher.encrypt('value', 'person-a');
    expect(() => cipher.decrypt(blob, 'person-b')).toThrow();
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] ^= 0xff;
    expect(() => cipher.decrypt(tampered, 'person-a')).toThrow();
    expect(() => cipherWith({ k2 }, 'k2').decrypt(blob, 'person-a')).toThrow(/no key "k1"/);
  });
});
