import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { negotiateLanguage } from '../i18n/language.js';

/**
 * Conditional GET for JSON read routes: a weak ETag over the serialized body and the negotiated
 * language, `Cache-Control: no-store` (personal data: no HTTP cache keeps it; an app that keeps its
 * own copy revalidates it with If-None-Match), and
 * `304 Not Modified` without a body when `If-None-Match` matches. The body is serialized and
 * UTF-8-encoded here once, hashed and sent as those bytes: no second JSON.stringify, and no second
 * encoding when the socket is written (Japanese text makes the encoding cost as much as the hash).
 */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const bytes = Buffer.from(JSON.stringify(body));
        const language = negotiateLanguage(request.headers['accept-language']);
        const etag = weakEtag(language, bytes);
        void reply
          .header('etag', etag)
          .header('cache-control', 'no-store')
          .header('vary', 'Accept-Language, Authorization')
          .header('content-language', language);
        if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
          void reply.status(304);
          return undefined;
        }
        void reply.header('content-type', 'application/json; charset=utf-8');
        return bytes;
      }),
    );
  }
}

/** A validator, not a secret: SHA-1 over `language \n body` is plenty to tell two bodies apart. */
export function weakEtag(language: string, body: Buffer): string {
  return `W/"${createHash('sha1').update(language).update('\n').update(body).digest('base64url')}"`;
}

/** RFC 9110 §13.1.2: weak comparison against each listed tag, or `*`. */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}
