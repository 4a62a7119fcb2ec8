/** Who an access token belongs to, or null when it is unknown, expired or revoked. */
export type AccessTokenVerifier = (token: string) => Promise<{ sub: string } | null>;

export interface IntrospectionSettings {
  /** the provider's RFC 7662 endpoint, e.g. `<issuer>/protocol/openid-connect/token/introspect` */
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Asks the provider about each token (RFC 7662), as a resource server of an opaque-token provider
 * must. Nothing is cached, so a revoked token is rejected at once. Throws when the provider cannot
 * be asked (the simulator then answers 503).
 */
export function introspectionVerifier(settings: IntrospectionSettings): AccessTokenVerifier {
  const basic = Buffer.from(
    `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`,
  ).toString('base64');
  return async (token) => {
    const res = await fetch(settings.introspectionUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`introspection answered HTTP ${res.status}`);
    const body = (await res.json()) as { active?: boolean; sub?: string; token_type?: string };
    // a refresh token is also "active" but has no token_type: it is not a bearer credential
    if (!body.active || !body.sub || body.token_type !== 'Bearer') return null;
    return { sub: body.sub };
  };
}
