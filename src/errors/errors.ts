import { type ErrorCategory, ErrorCode } from './codes.js';

export interface CodedError extends Error {
  code: ErrorCode;
  category: ErrorCategory;
}

/** Base class: a code, a category, and the original error kept as `cause`. */
export class PolicybotError extends Error implements CodedError {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;

  constructor(code: ErrorCode, category: ErrorCategory, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.category = category;
  }
}

/** A setting is missing or invalid; the message names the variable. */
export class ConfigError extends PolicybotError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(ErrorCode.ConfigInvalid, 'system', `${variable}: ${message}`);
    this.variable = variable;
  }
}

export class UsageError extends PolicybotError {
  constructor(message: string) {
    super(ErrorCode.UsageError, 'user', message);
  }
}

export class InputError extends PolicybotError {
  constructor(
    message: string,
    code: ErrorCode.InputInvalid | ErrorCode.InputTooLong = ErrorCode.InputInvalid,
  ) {
    super(code, 'user', message);
  }
}

export class RateLimitedError extends PolicybotError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, 'user', `Too many requests; try again in ${retryAfterSeconds}s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class UnknownIssuerError extends PolicybotError {
  readonly known: string[];
  constructor(name: string, known: string[]) {
    super(ErrorCode.UnknownIssuer, 'user', `Unknown issuer "${name}". Known: ${known.join(', ')}`);
    this.known = known;
  }
}

/**
 * A summary target (`/policy summary …`) that is neither an issuer nor a document of the library; `known`
 * lists the issuers, as for an unknown issuer (front ends treat both alike).
 */
export class UnknownTargetError extends UnknownIssuerError {
  constructor(name: string, known: string[]) {
    super(name, known);
    this.message = `Unknown issuer "${name}", and no document matches it (name a document by 文号, title or id). Known issuers: ${known.join(', ')}`;
  }
}

/** A document filter (`--doc`, `"doc"`) that names no document of the library. */
export class UnknownDocumentError extends PolicybotError {
  readonly known: string[];
  constructor(name: string, known: string[]) {
    super(
      ErrorCode.UnknownDocument,
      'user',
      `No document matches "${name}" (give an id, a 文号 or a title). Documents: ${known.join(', ')}`,
    );
    this.known = known;
  }
}

export class IndexError extends PolicybotError {
  constructor(
    code: ErrorCode.IndexMissing | ErrorCode.IndexCorrupt | ErrorCode.IndexMismatch | ErrorCode.IndexLocked,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 'system', message, options);
  }
}

export class CorpusError extends PolicybotError {
  constructor(
    code: ErrorCode.CorpusEmpty | ErrorCode.CorpusUnreadable,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 'system', message, options);
  }
}

export class ModelUnavailableError extends PolicybotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.ModelUnavailable, 'system', message, options);
  }
}

/** Authentication of an inbound request failed (bad signature, stale timestamp, undecryptable payload). */
export class AuthError extends PolicybotError {
  constructor(
    code: ErrorCode.SignatureInvalid | ErrorCode.RequestStale | ErrorCode.DecryptFailed,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 'user', message, options);
  }
}

/** A service we call (LLM, Slack Web API, WeCom API) failed. */
export class UpstreamError extends PolicybotError {
  readonly status: number | null;
  constructor(
    message: string,
    options?: {
      cause?: unknown;
      status?: number | null;
      code?: ErrorCode.UpstreamError | ErrorCode.LlmUnavailable | ErrorCode.LlmTimeout;
    },
  ) {
    super(options?.code ?? ErrorCode.UpstreamError, 'upstream', message, { cause: options?.cause });
    this.status = options?.status ?? null;
  }
}

export function isCodedError(error: unknown): error is CodedError {
  return error instanceof PolicybotError;
}

/** Wraps anything thrown into a coded error, keeping the original as `cause`. */
export function asCodedError(error: unknown): PolicybotError {
  if (error instanceof PolicybotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PolicybotError(ErrorCode.Unknown, 'system', message, { cause: error });
}

/**
 * The only text a chat user ever sees for a failure: short, no internals, with the request id
 * so an operator can find the details in the logs.
 */
export function userFacingMessage(error: unknown, requestId: string, language: 'zh' | 'en' = 'en'): string {
  const coded = asCodedError(error);
  if (coded.category === 'user' && coded.code !== ErrorCode.Unknown) {
    return `${coded.message} (request ${requestId})`;
  }
  return language === 'zh'
    ? `抱歉，处理您的问题时出错了，请稍后再试。（请求编号 ${requestId}）`
    : `Sorry, something went wrong while answering. Please try again later. (request ${requestId})`;
}
