import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { DomainException, type FieldError } from '../errors/domain.exception.js';
import { ErrorCode } from '../errors/error-code.js';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { sendProblem } from '../errors/problem-reply.js';
import { negotiateLanguage } from '../i18n/language.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

/**
 * Answers for what fails before Nest sees a request, so that every answer of the server is
 * problem+json with an X-Request-Id, whatever raised it (API.md common rules).
 *
 * - `frameworkErrors`: the router's own rejections (FST_ERR_BAD_URL for a malformed
 *   percent-encoding such as `/v1/notices/%ED%A0%80`). No hook has run, so the request id header
 *   is set here.
 * - `clientErrorHandler`: Node's HTTP parser refused the bytes (control characters in a header,
 *   Content-Length with Transfer-Encoding, an unknown method, headers over 16 KiB). There is no
 *   request object; the answer is written to the socket, which is then closed.
 */
export const edgeErrorHandlers: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    void reply.header('x-request-id', request.id);
    const fieldErrors: FieldError[] = [{ field: 'path', rule: 'path' }];
    const code = (error as { code?: string }).code;
    sendProblem(
      code === 'FST_ERR_BAD_URL' ? new DomainException(ErrorCode.VALIDATION_FAILED, { fieldErrors }) : error,
      request,
      reply,
    );
  },
  clientErrorHandler(error, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable)
      socket.write(clientErrorResponse(error as unknown as { code?: string; rawPacket?: Buffer }));
    socket.destroy(error);
  },
};

/** The raw HTTP/1.1 answer to a request Node could not parse. */
export function clientErrorResponse(error: { code?: string; rawPacket?: Buffer }): string {
  // Over-long headers are 400 VALIDATION_FAILED (field `headers`), not a bare 431: every API.md code
  // carries one fixed status, and PAYLOAD_TOO_LARGE speaks of the body (docs/adr/0013-edge-hardening.md).
  const rule = error.code === 'HPE_HEADER_OVERFLOW' ? 'headersTooLarge' : 'headers';
  const problem = buildProblem(ErrorCode.VALIDATION_FAILED, randomUUID(), languageOf(error.rawPacket), [
    { field: 'headers', rule },
  ]);
  const body = JSON.stringify(problem);
  return (
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Request-Id: ${problem.requestId}\r\n` +
    'X-Content-Type-Options: nosniff\r\n' +
    'Cache-Control: no-store\r\n' +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Accept-Language from the unparsed bytes, when they carry one within the first 8 KiB. */
function languageOf(rawPacket: Buffer | undefined): ReturnType<typeof negotiateLanguage> {
  if (!rawPacket) return negotiateLanguage(undefined);
  const head = rawPacket.subarray(0, 8192).toString('latin1');
  return negotiateLanguage(/\r\naccept-language:[ \t]*([^\r\n]{0,200})/i.exec(head)?.[1]);
}

type ParserDone = (error: Error | null, body?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: Buffer, done: ParserDone) => void;
// Fastify's own parser takes the Buffer too (secure-json-parse reads either).
type FastifyJsonParser = (request: FastifyRequest, body: never, done: ParserDone) => unknown;

/**
 * The JSON body parser: refuses nesting deeper than MAX_JSON_DEPTH with 400 VALIDATION_FAILED
 * before anything is parsed or transformed, then hands over to Fastify's own parser (secure-json-parse,
 * `__proto__`/`constructor` poisoning refused). Registered through Nest's `useBodyParser`, which
 * keeps `request.rawBody` for signature checks.
 */
export function depthLimitedJsonParser(fastifyJson: FastifyJsonParser): JsonParser {
  return (request, body, done) => {
    if (exceedsJsonDepth(body)) {
      done(
        new DomainException(ErrorCode.VALIDATION_FAILED, {
          fieldErrors: [{ field: 'body', rule: 'depth', params: { max: MAX_JSON_DEPTH } }],
        }),
      );
      return;
    }
    fastifyJson(request, body as never, done);
  };
}
