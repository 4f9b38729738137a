/**
 * Which upstream failures are worth retrying, and how long to wait. Kept apart from the client so the
 * policy is testable without HTTP.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

export interface FailureInfo {
  retryable: boolean;
  /** True for timeouts (ours or the SDK's). */
  timeout: boolean;
  status: number | null;
  /** Server-requested delay from `retry-after-ms` / `Retry-After`, when present. */
  retryAfterMs: number | null;
}

/** Parses `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, nowMs: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return null;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * Classifies an error thrown by the openai SDK (or by our own abort on timeout).
 * Retryable: timeouts, connection errors, 408, 409 (lock timeouts), 429 and 5xx.
 */
export function classifyFailure(error: unknown, abortedByTimeout: boolean): FailureInfo {
  if (abortedByTimeout) return { retryable: true, timeout: true, status: null, retryAfterMs: null };
  if (error instanceof APIUserAbortError)
    return { retryable: false, timeout: false, status: null, retryAfterMs: null };
  if (error instanceof APIConnectionError) {
    const timeout = error.constructor.name === 'APIConnectionTimeoutError';
    return { retryable: true, timeout, status: null, retryAfterMs: null };
  }
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const retryable = status === null || status === 408 || status === 409 || status === 429 || status >= 500;
    return { retryable, timeout: status === 408, status, retryAfterMs: retryAfterMs(error.headers) };
  }
  // Anything else (e.g. a socket reset surfacing mid-stream as a TypeError) is treated as a connection error.
  return { retryable: true, timeout: false, status: null, retryAfterMs: null };
}

/** Exponential backoff with jitter: base·2^attempt capped at max, scaled by 0.5..1. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(raw * (0.5 + 0.5 * random()));
}
