import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Secrets are compared in constant time (COMMON rules, API.md webhook signatures, admin tokens):
 * a `===` on a signature, MAC, digest, hash, secret or token leaks through timing how many leading
 * bytes an attacker guessed right. A static check over src/, so a verifier added later (the webhook
 * signature, admin tokens) is held to it without a test of its own.
 */
const root = join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const SECRET_NAME = /(signature|hmac|mac|digest|hash|secret|token)$/i;
const NOT_A_VALUE = /^(null|undefined|true|false|typeof|\d+|'.*'|".*"|`.*`)$/;

/** Comparisons of two values we hold ourselves, neither from the caller: nothing to learn from their timing. */
const REVIEWED = new Set(['modules/account-link/tokens/provider-token.service.ts: storedNow !== token']);

function operand(text: string): string {
  return text.replace(/^[(!\s]+|[),;\s?&|]+$/g, '').replace(/\(\)$/, '');
}

describe('secrets are compared in constant time', () => {
  const files = sources(root).map((path) => ({
    path: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('compares no signature, MAC, digest, hash, secret or token with === or !==', () => {
    const found: string[] = [];
    for (const { path, text } of files) {
      for (const match of text.matchAll(/([^\s=!<>]+)\s*([!=]==)\s*([^\s=!<>]+)/g)) {
        const [left, right] = [operand(match[1]), operand(match[3])];
        if (NOT_A_VALUE.test(left) || NOT_A_VALUE.test(right)) continue;
        if (/\.length$|\.(name|kind|type|status)$/.test(left) || /\.length$/.test(right)) continue;
        const name = (s: string): string => s.split('.').pop() ?? s;
        if (!SECRET_NAME.test(name(left)) && !SECRET_NAME.test(name(right))) continue;
        const entry = `${path}: ${left} ${match[2]} ${right}`;
        if (!REVIEWED.has(entry)) found.push(entry);
      }
    }
    expect(found).toEqual([]);
  });

  it('verifies every HMAC it computes with timingSafeEqual', () => {
    const hmacFiles = files.filter((f) => /createHmac\(/.test(f.text));
    expect(hmacFiles.filter((f) => !/timingSafeEqual\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('guards every timingSafeEqual with a length check (it throws on buffers of different lengths)', () => {
    const unguarded = files
      .filter((f) => /timingSafeEqual\(/.test(f.text))
      .filter((f) => !/\.length\s*===\s*[^&]+&&\s*timingSafeEqual\(/.test(f.text))
      .map((f) => f.path);
    expect(unguarded).toEqual([]);
  });
});
