/** The Bull Board session cookie: scoped to /admin/queues, never readable by scripts. */
export const ADMIN_SESSION_COOKIE = 'myna_admin_session';
export const ADMIN_SESSION_PATH = '/admin/queues';

export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [
    `${ADMIN_SESSION_COOKIE}=${id}`,
    `Path=${ADMIN_SESSION_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The session id from a Cookie header, if present. */
export function sessionFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === ADMIN_SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}
