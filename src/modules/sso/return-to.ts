const PLACEHOLDER_ORIGIN = 'https://mynaportal.invalid';
const MAX_LENGTH = 512;

/**
 * The normalized form of a requested `returnTo` path on Mynaportal web, or null when it is not an
 * allowed one. Only a plain absolute path is accepted: no scheme or host (`//evil`, `https:`), no
 * backslash, whitespace or control characters (raw or percent-encoded, with encoded slashes), and
 * after dot-segment resolution it must lie under one of the allow-listed prefixes. This is what
 * keeps the SSO from being an open redirect.
 */
export function normalizeReturnTo(value: string, allowedPrefixes: readonly string[]): string | null {
  if (value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\x00-\x1f\x7f]/.test(value)) return null;
  if (/%(2f|5c|[01][0-9a-f]|7f|20)/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN || url.pathname.startsWith('//') || url.username || url.password) {
    return null;
  }
  if (!allowedPrefixes.some((prefix) => isUnder(url.pathname, prefix))) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/notices` allows `/notices`, `/notices/1`, but not `/noticesX`; `/` allows everything. */
function isUnder(path: string, prefix: string): boolean {
  if (!prefix.startsWith('/')) return false;
  const bare = prefix.replace(/\/+$/, '');
  if (bare === '') return true;
  return path === bare || path.startsWith(`${bare}/`);
}
