import { createHash } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OidcStats } from './oidc-simulator.js';

/**
 * Makes the provider's answers look like Keycloak's (session_state on the authorization response,
 * refresh_expires_in on the token response) and counts requests per endpoint.
 */
export function keycloakShapes(provider: Provider, stats: () => OidcStats) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const route = ctx.oidc?.route;
    const s = stats();
    if (route === 'token') {
      const grantType = (ctx.oidc.params?.grant_type as string | undefined) ?? 'unknown';
      s.token[grantType] = (s.token[grantType] ?? 0) + 1;
      const body = ctx.body as Record<string, unknown> | undefined;
      if (ctx.status === 200 && typeof body?.refresh_token === 'string') {
        const rt = await provider.RefreshToken.find(body.refresh_token);
        if (rt?.exp) body.refresh_expires_in = rt.exp - Math.floor(Date.now() / 1000);
      }
    } else if (route === 'authorization') s.authorization += 1;
    else if (route === 'revocation') s.revocation += 1;
    else if (route === 'introspection') s.introspection += 1;
    else if (route === 'userinfo') s.userinfo += 1;

    const location = ctx.response.get('location');
    if ((route === 'authorization' || route === 'resume') && location && ctx.oidc.session?.uid) {
      const target = new URL(location, ctx.href);
      if (target.searchParams.has('code') && !target.searchParams.has('session_state')) {
        const sid = createHash('sha256').update(ctx.oidc.session.uid).digest('hex');
        target.searchParams.set('session_state', uuidLike(sid));
        ctx.redirect(target.href);
        ctx.status = 303;
      }
    }
  };
}

const uuidLike = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
