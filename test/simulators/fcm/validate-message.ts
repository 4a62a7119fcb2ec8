import { badRequest, type FcmError } from './fcm-errors.js';

export type Target = { kind: 'token'; token: string } | { kind: 'topic' | 'condition'; value: string };

export interface ValidSend {
  target: Target;
  validateOnly: boolean;
}

const TOP_LEVEL = new Set(['message', 'validate_only', 'validateOnly']);
const MESSAGE_FIELDS = new Set([
  'name',
  'data',
  'notification',
  'android',
  'webpush',
  'apns',
  'fcm_options',
  'fcmOptions',
  'token',
  'topic',
  'condition',
]);
const NOTIFICATION_FIELDS = new Set(['title', 'body', 'image']);
// keys FCM keeps for itself in the data payload
const RESERVED_DATA_KEY = /^(from|message_type|collapse_key|google\.|gcm\.)/;
const MAX_PAYLOAD_BYTES = 4096;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(obj: Record<string, unknown>, allowed: Set<string>): string | undefined {
  return Object.keys(obj).find((k) => !allowed.has(k));
}

/**
 * The checks FCM HTTP v1 makes on `messages:send` that a sender can get wrong: the JSON shape
 * (unknown names are rejected), exactly one target, string-only data, reserved data keys, size.
 */
export function validateSendRequest(body: unknown): ValidSend | FcmError {
  if (!isObject(body)) return badRequest('Invalid JSON payload received. Expected an object.');
  const extra = unknownField(body, TOP_LEVEL);
  if (extra) return badRequest(`Invalid JSON payload received. Unknown name "${extra}": Cannot find field.`);
  const message = body.message;
  if (!isObject(message)) return badRequest('Request contains an invalid argument.', 'message');
  const extraInMessage = unknownField(message, MESSAGE_FIELDS);
  if (extraInMessage) {
    return badRequest(
      `Invalid JSON payload received. Unknown name "${extraInMessage}" at 'message': Cannot find field.`,
    );
  }

  const targets = (['token', 'topic', 'condition'] as const).filter((k) => message[k] !== undefined);
  if (targets.length === 0) return badRequest('Recipient of the message is not set.', 'message');
  if (targets.length > 1) {
    return badRequest(
      `Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set '${targets[1]}'`,
      'message',
    );
  }
  const kind = targets[0];
  const value = message[kind];
  if (typeof value !== 'string' || value === '') {
    return badRequest(`Invalid value at 'message.${kind}' (TYPE_STRING)`, `message.${kind}`);
  }

  if (message.data !== undefined) {
    if (!isObject(message.data)) return badRequest("Invalid value at 'message.data'", 'message.data');
    const entries = Object.entries(message.data);
    for (const [i, [key, v]] of entries.entries()) {
      if (typeof v !== 'string') {
        const field = `message.data[${i}].value`;
        return badRequest(`Invalid value at '${field}' (TYPE_STRING), ${JSON.stringify(v)}`, field);
      }
      if (RESERVED_DATA_KEY.test(key)) return badRequest(`Invalid data payload key: ${key}`, 'message.data');
    }
  }
  if (message.notification !== undefined) {
    if (!isObject(message.notification)) {
      return badRequest("Invalid value at 'message.notification'", 'message.notification');
    }
    const bad = unknownField(message.notification, NOTIFICATION_FIELDS);
    if (bad) {
      return badRequest(
        `Invalid JSON payload received. Unknown name "${bad}" at 'message.notification': Cannot find field.`,
      );
    }
    for (const [k, v] of Object.entries(message.notification)) {
      if (typeof v !== 'string') {
        return badRequest(
          `Invalid value at 'message.notification.${k}' (TYPE_STRING)`,
          `message.notification.${k}`,
        );
      }
    }
  }
  if (
    Buffer.byteLength(JSON.stringify({ data: message.data, notification: message.notification })) >
    MAX_PAYLOAD_BYTES
  ) {
    return badRequest('Message is too big', 'message');
  }

  const validateOnly = body.validate_only === true || body.validateOnly === true;
  const target: Target = kind === 'token' ? { kind, token: value } : { kind, value };
  return { target, validateOnly };
}
