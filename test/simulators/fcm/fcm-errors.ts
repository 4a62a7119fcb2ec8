/** Error bodies as FCM HTTP v1 (a Google API) writes them. */
export interface FcmErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export interface FcmError {
  status: number;
  body: FcmErrorBody;
  headers?: Record<string, string>;
}

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

function fcmError(
  code: number,
  status: string,
  message: string,
  errorCode?: string,
  extra: unknown[] = [],
): FcmError {
  const details = errorCode ? [{ '@type': FCM_ERROR_TYPE, errorCode }, ...extra] : extra;
  return { status: code, body: { error: { code, message, status, ...(details.length ? { details } : {}) } } };
}

/** A request that fails validation: `field` names the offending member like Google does. */
export const badRequest = (message: string, field?: string): FcmError =>
  fcmError(
    400,
    'INVALID_ARGUMENT',
    message,
    undefined,
    field
      ? [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field, description: message }],
          },
        ]
      : [],
  );

const INVALID_TOKEN = 'The registration token is not a valid FCM registration token';

export const invalidToken = (): FcmError =>
  fcmError(400, 'INVALID_ARGUMENT', INVALID_TOKEN, 'INVALID_ARGUMENT', [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: 'message.token', description: INVALID_TOKEN }],
    },
  ]);

export const unregistered = (): FcmError =>
  fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');

export const senderIdMismatch = (): FcmError =>
  fcmError(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH');

export const unavailable = (): FcmError =>
  fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE');

export const internal = (): FcmError => fcmError(500, 'INTERNAL', 'Internal error encountered.', 'INTERNAL');

export const quotaExceeded = (retryAfterSeconds: number): FcmError => ({
  ...fcmError(
    429,
    'RESOURCE_EXHAUSTED',
    "Quota exceeded for quota metric 'Send requests' and limit 'Send requests per second'.",
    'QUOTA_EXCEEDED',
  ),
  headers: { 'retry-after': String(retryAfterSeconds) },
});

export const unauthenticated = (): FcmError =>
  fcmError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  );

export const permissionDenied = (project: string): FcmError =>
  fcmError(
    403,
    'PERMISSION_DENIED',
    `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}'.`,
  );

export const notFound = (): FcmError => fcmError(404, 'NOT_FOUND', 'Method not found.');
