import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { classifyError } from '../../common/errors/classify-error.js';
import { negotiateLanguage } from '../../common/i18n/language.js';
import { renderSsoPage, SSO_PAGE_CSP, SSO_REDIRECT_HEADERS } from './sso-page.js';

/**
 * The redirect route is opened in a browser, not by the app: its failures are small ja/en HTML
 * pages that say what to do (API.md), with the same status and code a JSON client would get.
 */
@Catch()
export class SsoPageFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    const classified = classifyError(exception);
    const page = renderSsoPage(
      classified.code,
      negotiateLanguage(request.headers['accept-language']),
      String(request.id),
    );
    if (classified.unexpected)
      request.log.error({ err: exception, errorCode: page.code }, 'sso redirect failed');
    else if (page.status >= 500) request.log.warn({ errorCode: page.code }, 'sso redirect failed upstream');
    else request.log.info({ errorCode: page.code }, 'sso redirect refused');
    if (classified.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(Math.max(1, Math.ceil(classified.retryAfterSeconds))));
    }
    void reply
      .status(page.status)
      .headers({ ...SSO_REDIRECT_HEADERS, 'content-security-policy': SSO_PAGE_CSP })
      .type('text/html; charset=utf-8')
      .send(page.html);
  }
}
