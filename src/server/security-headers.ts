import type { RequestHandler } from 'express';

/**
 * The page uses no inline script or style and loads nothing from elsewhere, so the policy can be strict;
 * the chat page runs on locked-down office networks where that is also a requirement.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];

/** Sets the security headers on every response, including errors and routes mounted later (Slack, WeCom). */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of HEADERS) res.setHeader(name, value);
    next();
  };
}
