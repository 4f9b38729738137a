import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  asCodedError,
  ErrorCode,
  InputError,
  PolicybotError,
  RateLimitedError,
  UnknownDocumentError,
  UnknownIssuerError,
} from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { contextOf } from './request-context.js';

/** A user error whose HTTP status is not implied by its code (415, 405, a body-parser 4xx). */
export class HttpInputError extends InputError {
  readonly httpStatus: number;
  constructor(
    httpStatus: number,
    message: string,
    code: ErrorCode.InputInvalid | ErrorCode.InputTooLong = ErrorCode.InputInvalid,
  ) {
    super(message, code);
    this.httpStatus = httpStatus;
  }
}

/** A route or resource that does not exist. */
export class NotFoundError extends PolicybotError {
  constructor(message: string) {
    super(ErrorCode.NotFound, 'user', message);
  }
}

/** The JSON every error response (and every SSE `error` event) carries. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; known?: string[] };
}

const USER_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InputTooLong]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.UnknownIssuer]: 404,
  [ErrorCode.UnknownDocument]: 404,
  [ErrorCode.SignatureInvalid]: 401,
  [ErrorCode.RequestStale]: 401,
  [ErrorCode.DecryptFailed]: 401,
};

interface HttpishError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  limit?: unknown;
}

/**
 * Wraps anything thrown into a coded error. Errors from body-parser and serve-static carry an HTTP
 * status and a `type`; they are user errors with a message we write ourselves.
 */
export function toCodedError(error: unknown): PolicybotError {
  if (error instanceof PolicybotError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpInputError(400, 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new HttpInputError(
        413,
        `The request body is too large${typeof e.limit === 'number' ? ` (limit ${e.limit} bytes)` : ''}.`,
        ErrorCode.InputTooLong,
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpInputError(415, 'The request body must be UTF-8 JSON without content encoding.');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const message = e.status === 404 ? 'Not found.' : 'The request could not be processed.';
    const wrapped = new HttpInputError(e.status, message);
    wrapped.cause = error;
    return wrapped;
  }
  return asCodedError(error);
}

/** HTTP status for a coded error: user → 4xx, system → 500, upstream → 502. */
export function httpStatusOf(error: PolicybotError): number {
  if (error instanceof HttpInputError) return error.httpStatus;
  switch (error.category) {
    case 'user':
      return USER_STATUS[error.code] ?? 400;
    case 'upstream':
      return 502;
    default:
      return 500;
  }
}

/** What a client may see: our own message for user errors, a generic line otherwise. */
export function clientMessage(error: PolicybotError): string {
  if (error.category === 'user' && error.code !== ErrorCode.Unknown) return error.message;
  if (error.category === 'upstream') {
    return 'A service this answer depends on failed. Please try again later.';
  }
  return 'Sorry, something went wrong on our side. Please try again later.';
}

export function errorBody(error: PolicybotError, requestId: string): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: clientMessage(error), requestId } };
  if (error instanceof UnknownIssuerError || error instanceof UnknownDocumentError)
    body.error.known = error.known;
  return body;
}

/** Logs a failure where it belongs: user errors at debug (they are expected), the rest at error. */
export function logFailure(log: Logger, error: PolicybotError, where: string): void {
  const fields = { err: error, code: error.code, category: error.category };
  if (error.category === 'user') log.debug(fields, `${where}: ${error.message}`);
  else log.error(fields, `${where} failed`);
}

/** 404 for anything no route claimed, in the same error shape. */
export function notFound(): RequestHandler {
  return (req, _res, next) => {
    next(new NotFoundError(`No route for ${req.method} ${req.path}.`));
  };
}

/** 405 with `Allow` for a known path used with the wrong method. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Allow', allowed.join(', '));
    next(new HttpInputError(405, `${req.method} is not supported here; use ${allowed.join(' or ')}.`));
  };
}

/**
 * The one error sink: maps coded errors to statuses and the `{ error: { code, message, requestId } }`
 * shape. Details (stack, cause) go to the log only, never to the client.
 */
export function errorSink(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const { requestId, log } = contextOf(res, logger);
    const coded = toCodedError(error);
    logFailure(log, coded, `${req.method} ${req.path}`);
    if (res.headersSent) {
      // Mid-response (e.g. a static file stream broke): nothing sensible can be appended.
      res.destroy();
      return;
    }
    if (coded instanceof RateLimitedError) res.setHeader('Retry-After', String(coded.retryAfterSeconds));
    res.setHeader('Cache-Control', 'no-store');
    res.status(httpStatusOf(coded)).json(errorBody(coded, requestId));
  };
}
