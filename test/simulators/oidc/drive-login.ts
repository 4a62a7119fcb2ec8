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
  constructor(private readonly cookies = new Map<string, string>()) {}

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
 * a cookie jar (fresh unless given), and stops at the redirect to the redirect_uri, returning its parameters.
 */
export async function driveLogin(
  authorizationUrl: string,
  persona?: string,
  /** pass the same map to play one browser across logins; a fresh jar otherwise */
  cookies?: Map<string, string>,
): Promise<LoginResult> {
  const start = new URL(authorizationUrl);
  if (persona) start.searchParams.set('login_hint', persona);
  const jar = new CookieJar(cookies);
  let current = start;
  let post: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop += 1) {
    const res = await fetch(current, {
      method: post ? 'POST' : 'GET',
      body: post,
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    post = undefined;
    jar.store(res.headers);
    const location = res.headers.get('location');
    if (res.status === 200 && res.headers.get('content-type')?.startsWith('text/html')) {
      // an auto-submitting form (the provider ending the previous person's session): submit it
      const form = autoSubmitForm(await res.text(), current);
      if (form) {
        [current, post] = form;
        continue;
      }
      throw new Error(`login stopped at ${current.pathname} on an HTML page without a form`);
    }
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

const unescapeHtml = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function autoSubmitForm(html: string, base: URL): [URL, URLSearchParams] | undefined {
  const form = /<form method="post" action="([^"]*)">/i.exec(html);
  if (!form || !/forms\[0\]\.submit\(\)/.test(html)) return undefined;
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/gi)) {
    fields.append(unescapeHtml(m[1]), unescapeHtml(m[2]));
  }
  return [new URL(unescapeHtml(form[1]), base), fields];
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
