/**
 * Every refused request gets one JSON shape, `{ error: { code, message, field? } }`, and its status
 * is decided here and nowhere else: schema failures name the field, patchloop's own errors map by
 * class, anything unexpected is a 500 without internals.
 */
import type { FastifyError } from 'fastify';
import type { ErrorObject } from 'ajv';
import { BudgetError, ConfigError, EnvironmentError, PatchloopError, UsageError } from '../errors.ts';
import { RequestError } from './repo-path.ts';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** `/repo/path` + `additionalProperty: x` → `repo.x`; the body root is the empty path. */
export function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = (e.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ?? (e.params as { missingProperty?: string }).missingProperty;
  return [base, extra].filter(Boolean).join('.') || '(body)';
}

function describeSchemaError(e: ErrorObject, part: string): { code: string; message: string; field: string } {
  const field = fieldOf(e);
  const where = part === 'body' ? field : `${part} ${field}`;
  switch (e.keyword) {
    case 'additionalProperties':
      return { code: 'unknown_field', field, message: `${where}: unknown field; remove it (see the API in the README)` };
    case 'required':
      return { code: 'missing_field', field, message: `${where}: required` };
    case 'maxLength':
    case 'maxItems':
      return { code: 'field_too_large', field, message: `${where}: ${e.message ?? 'too large'}` };
    default:
      return { code: 'invalid_field', field, message: `${where}: ${e.message ?? 'invalid'}` };
  }
}

/** Maps any error thrown while serving a request to a status and body. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  const fe = err as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (fe.validation?.length) {
    return { status: 400, body: { error: describeSchemaError(fe.validation[0]!, fe.validationContext ?? 'body') } };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { error: { code: 'body_too_large', message: `request body over ${fe.message.match(/\d+/)?.[0] ?? 'the limit'} bytes: shorten the task or send it in parts`, field: '(body)' } } };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'send the body as Content-Type: application/json' } } };
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && fe.statusCode === 400)) {
    return { status: 400, body: { error: { code: 'malformed_json', message: `the body is not valid JSON: ${fe.message}`, field: '(body)' } } };
  }
  if (err instanceof RequestError) return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } } };
  if (err instanceof BudgetError) return { status: 429, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof UsageError || err instanceof ConfigError) return { status: 400, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof EnvironmentError) return { status: 422, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof PatchloopError) return { status: 500, body: { error: { code: err.code, message: err.message } } };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: String(fe.code ?? 'bad_request').toLowerCase(), message: fe.message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; the server log has the details' } } };
}
