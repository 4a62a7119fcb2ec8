export interface LoginResult {
  code: string;
  state: string;
  iss: string;
  session_state: string;
  /** the full redirect_uri URL the browser would have been sent to */
  callbackUrl: string;
}

/** The provider redirected to the redirect_uri with an OAuth error instead of a code. */
export class LoginRedirectError extends Error {
  constructor(
    readonly error: string,
    readonly errorDescription: string | undefined,
    readonly callbackUrl: string,
  ) {
    super(`authorization failed: ${error}${errorDescription ? ` (${errorDescription})` : ''}`);
  }
}

/** Minimal cookie jar: the simulator's cookies are few and path-scoped, sending all is harmless. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Plays the browser for a login at the provider simulator: opens the authorization URL (built by
 * anybody, e.g. the BFF's `/v1/link/start`) with `login_hint=<persona>`, follows the redirects with
 * a fresh cookie jar, and stops at the redirect to the redirect_uri, returning its parameters.
 */
export async function driveLogin(authorizationUrl: string, persona?: string): Promise<LoginResult> {
  const start = new URL(authorizationUrl);
  if (persona) start.searchParams.set('login_hint', persona);
  const jar = new CookieJar();
  let current = start;
  for (let hop = 0; hop < 10; hop += 1) {
    const res = await fetch(current, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res.headers);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      // the provider's error page lists error and error_description in <pre> elements
      const text = (await res.text()).replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
      const summary = text.replace(/\s+/g, ' ').trim().slice(0, 300);
      throw new Error(`login stopped at ${current.pathname} with HTTP ${res.status}: ${summary}`);
    }
    await res.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== start.origin) return callbackParams(next);
    current = next;
  }
  throw new Error('too many redirects during login');
}

function callbackParams(url: URL): LoginResult {
  const p = url.searchParams;
  const error = p.get('error');
  if (error) throw new LoginRedirectError(error, p.get('error_description') ?? undefined, url.href);
  const code = p.get('code');
  if (!code) throw new Error(`redirect without code: ${url.href}`);
  return {
    code,
    state: p.get('state') ?? '',
    iss: p.get('iss') ?? '',
    session_state: p.get('session_state') ?? '',
    callbackUrl: url.href,
  };
}
