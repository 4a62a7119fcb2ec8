import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../config/app-config.js';

/** For JSON answers: nothing may be loaded, framed or submitted. The SSO pages set their own. */
const API_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Swagger UI (/docs) loads its own scripts and styles from /docs and calls this origin; its page has
 * inline styles but no inline script. Nothing from another origin, no framing.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Security headers for an API (@fastify/helmet): nosniff, frames denied, no Referer, resources not
 * embeddable cross-origin, HSTS in production (the ALB terminates TLS; elsewhere plain HTTP is
 * normal), and a CSP that allows nothing. CORS stays closed: no CORS plugin is registered, so no
 * answer carries Access-Control-Allow-Origin and a preflight is an ordinary 404 (the app is native,
 * the SSO redirect is a top-level navigation).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    strictTransportSecurity:
      config.app.env === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    xDnsPrefetchControl: { allow: false },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.url === '/docs' || request.url.startsWith('/docs/')) {
        void reply.header('content-security-policy', DOCS_CSP);
      }
      done();
    });
}
