import { ErrorCode, errorStatus } from './error-code.js';
import type { FieldError } from './domain.exception.js';
import { problemTexts, renderFieldMessage } from '../i18n/messages.js';
import type { Language } from '../i18n/language.js';

/** RFC 9457 problem details, as API.md fixes them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: { field: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemType(code: ErrorCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function buildProblem(
  code: ErrorCode,
  requestId: string,
  language: Language,
  fieldErrors?: FieldError[],
): ProblemDetails {
  const text = problemTexts[code][language];
  const problem: ProblemDetails = {
    type: problemType(code),
    title: text.title,
    status: errorStatus[code],
    detail: text.detail,
    code,
    requestId,
  };
  if (fieldErrors && fieldErrors.length > 0) {
    problem.errors = fieldErrors.map((e) => ({
      field: e.field,
      message: renderFieldMessage(e.rule, e.params, language),
    }));
  }
  return problem;
}

export { ErrorCode };
