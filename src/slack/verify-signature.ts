import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError, ErrorCode } from '../errors/index.js';

/** Slack rejects nothing older than this; neither do we (replay window). */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export interface VerifySlackSignatureInput {
  signingSecret: string;
  /** The raw request body exactly as received (before any parsing). */
  body: string;
  /** Request headers; names are matched case-insensitively. */
  headers: Record<string, string | string[] | undefined>;
  /** Injectable clock, so staleness is testable. */
  nowMs?: number;
}

function header(headers: VerifySlackSignatureInput['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` — the string Slack sends in `X-Slack-Signature`. */
export function computeSlackSignature(
  signingSecret: string,
  timestamp: string | number,
  body: string,
): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Verifies a Slack request signature (v0 scheme) and its 5-minute replay window.
 * Pure apart from the HMAC: throws `AuthError` (`SignatureInvalid` or `RequestStale`), returns nothing on success.
 * Bolt performs the same check on the HTTP path; this exists for custom transports and as a tested reference.
 */
export function verifySlackSignature(input: VerifySlackSignatureInput): void {
  const { signingSecret, body, headers } = input;
  if (!signingSecret) throw new AuthError(ErrorCode.SignatureInvalid, 'signing secret is empty');
  const signature = header(headers, 'x-slack-signature');
  const timestamp = header(headers, 'x-slack-request-timestamp');
  if (!signature || !timestamp) {
    throw new AuthError(ErrorCode.SignatureInvalid, 'missing X-Slack-Signature or X-Slack-Request-Timestamp');
  }
  if (!/^\d+$/.test(timestamp)) throw new AuthError(ErrorCode.SignatureInvalid, 'timestamp is not a number');
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) {
    throw new AuthError(ErrorCode.RequestStale, 'request timestamp is outside the 5-minute window');
  }
  const expected = Buffer.from(computeSlackSignature(signingSecret, timestamp, body), 'utf8');
  const actual = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is itself a mismatch and leaks nothing secret.
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AuthError(ErrorCode.SignatureInvalid, 'signature mismatch');
  }
}

/** Boolean form of {@link verifySlackSignature}. */
export function isValidSlackSignature(input: VerifySlackSignatureInput): boolean {
  try {
    verifySlackSignature(input);
    return true;
  } catch {
    return false;
  }
}
