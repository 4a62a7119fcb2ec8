import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { es256DerToRaw, es256RawToDer } from './ecdsa-signature.js';

describe('ES256 signature forms', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('agrees with node:crypto both ways over many signatures (short r and s included)', () => {
    let shortComponents = 0;
    for (let i = 0; i < 3000; i += 1) {
      const data = Buffer.from(`proof ${i}`);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      if (raw[0] === 0 || raw[32] === 0 || raw[0] & 0x80 || raw[32] & 0x80) shortComponents += 1;
      const der = es256RawToDer(raw)!;
      expect(verify('sha256', data, publicKey, der)).toBe(true);

      const derSigned = sign('sha256', data, privateKey);
      const back = es256DerToRaw(derSigned);
      expect(back).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, back)).toBe(true);
      expect(es256RawToDer(back)!.equals(derSigned)).toBe(true);
    }
    // the cases that need the padding rules did occur (about half have a high bit set)
    expect(shortComponents).toBeGreaterThan(100);
  });

  it('encodes leading zeros and high bits canonically', () => {
    const raw = Buffer.alloc(64);
    raw[31] = 0x01; // r = 1
    raw[32] = 0x80; // s has its high bit set
    const der = es256RawToDer(raw)!;
    expect(der.subarray(0, 5)).toEqual(Buffer.from([0x30, 3 + 35, 0x02, 0x01, 0x01]));
    expect(der.subarray(5, 8)).toEqual(Buffer.from([0x02, 0x21, 0x00]));
    expect(es256DerToRaw(der).equals(raw)).toBe(true);
  });

  it('refuses what is not a 64-byte signature or a DER sequence', () => {
    expect(es256RawToDer(Buffer.alloc(63))).toBeNull();
    expect(es256RawToDer(Buffer.alloc(65))).toBeNull();
    expect(() => es256DerToRaw(Buffer.from([0x31, 0x00]))).toThrow();
    expect(() => es256DerToRaw(Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x02, 0x01]))).toThrow();
  });
});
