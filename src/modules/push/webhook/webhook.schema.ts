import { z } from 'zod';
import { DomainException, type FieldError } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export const MAX_SUBJECTS = 10_000;
export const DEFAULT_TTL_SECONDS = 259_200;
/** The route-level body limit of POST /v1/webhooks/push (API.md revision 2). */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/);
/** No U+0000: PostgreSQL text cannot hold it (it was a 500 found by the fuzzer, now a 400). */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what it refuses (and the OpenAPI document shows it)
const NO_NUL = /^[^\u0000]*$/;
const text = (max: number) => z.string().min(1).max(max).regex(NO_NUL);
const localized = (max: number) => z.strictObject({ ja: text(max), en: text(max).optional() });

/** The webhook body of API.md; unknown fields anywhere are refused. */
export const pushWebhookSchema = z.strictObject({
  notificationId: id,
  noticeId: id.nullable(),
  todoId: id.nullable().optional(),
  category: text(64).optional(),
  ttlSeconds: z.number().int().min(60).max(2_419_200).optional(),
  audience: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('users'),
      subjects: z.array(text(255)).min(1).max(MAX_SUBJECTS),
    }),
    z.strictObject({ type: z.literal('all') }),
  ]),
  message: z.strictObject({ title: localized(200), body: localized(1000) }),
  sendAt: z.iso.datetime({ offset: true }).optional(),
});

export type PushWebhookBody = z.infer<typeof pushWebhookSchema>;

/**
 * The same schema for the OpenAPI document (the route reads its raw body for the signature, so
 * there is no DTO for Swagger to describe): one definition, so the document cannot drift from
 * what is enforced.
 */
export const pushWebhookOpenApiSchema = z.toJSONSchema(pushWebhookSchema, { target: 'openapi-3.0' });

export function parseWebhookBody(body: unknown): PushWebhookBody {
  const result = pushWebhookSchema.safeParse(body);
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.join('.') || '(body)',
    rule: 'invalid',
  }));
  throw new DomainException(ErrorCode.VALIDATION_FAILED, { fieldErrors });
}
