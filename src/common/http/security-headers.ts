import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
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
 * The headers helmet sets for these options. Helmet's headers here depend on nothing in the
 * request, so they are computed once at start-up: @fastify/helmet built a new helmet (parsing the
 * CSP directives again) on every request, 2 % of the BFF's CPU per request in bench:api.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const capture = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, capture as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  return Object.freeze(headers);
}

/**
 * Security headers for an API (helmet): nosniff, frames denied, no Referer, resources not
 * embeddable cross-origin, HSTS in production (the ALB terminates TLS; elsewhere plain HTTP is
 * normal), and a CSP that allows nothing. CORS stays closed: no CORS plugin is registered, so no
 * answer carries Access-Control-Allow-Origin and a preflight is an ordinary 404 (the app is native,
 * the SSO redirect is a top-level navigation).
 */
export function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): void {
  const headers = helmetHeaders({
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
      void reply.headers(headers);
      if (request.url === '/docs' || request.url.startsWith('/docs/')) {
        void reply.header('content-security-policy', DOCS_CSP);
      }
      done();
    });
}
