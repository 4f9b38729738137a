import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode, InputError, isCodedError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { decryptMessage, verifySignature } from './wecom-crypto.js';

/** The signed query parameters of every WeCom callback. */
export interface SignedQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

function single(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new InputError(`query parameter ${name} is missing or invalid`);
  }
  return value;
}

/** Reads msg_signature/timestamp/nonce; a missing or repeated parameter is an `InputError` (400). */
export function readSignedQuery(req: Request): SignedQuery {
  const query = req.query as Record<string, unknown>;
  return {
    signature: single(query.msg_signature, 'msg_signature'),
    timestamp: single(query.timestamp, 'timestamp'),
    nonce: single(query.nonce, 'nonce'),
  };
}

/** `echostr` as signed: base64 never contains spaces, so a `+` decoded to a space is put back. */
export function readEchostr(req: Request): string {
  return single((req.query as Record<string, unknown>).echostr, 'echostr').replace(/ /g, '+');
}

/** Bad input and failed authentication are 4xx; only our own faults are 500. */
export function statusFor(error: unknown): number {
  if (isCodedError(error)) {
    if (error.code === ErrorCode.SignatureInvalid || error.code === ErrorCode.RequestStale) return 401;
    if (error.category === 'user') return 400;
  }
  return 500;
}

/** Answers a rejected callback with a bare status; details go to the log only (never secrets). */
export function rejectCallback(res: Response, error: unknown, logger: Logger, route: string): void {
  const status = statusFor(error);
  const code = isCodedError(error) ? error.code : ErrorCode.Unknown;
  if (status >= 500) logger.error({ err: error, route }, 'wecom callback failed');
  else
    logger.warn(
      { route, code, reason: error instanceof Error ? error.message : String(error) },
      'wecom callback rejected',
    );
  if (!res.headersSent)
    res
      .status(status)
      .type('text/plain')
      .send(status === 401 ? 'unauthorized' : 'bad request');
}

/**
 * Router-level error handler: body-parser failures (malformed JSON, too large, bad charset) become
 * their 4xx, never Express's default HTML page with a stack trace.
 */
export function bodyErrorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    const type = (error as { type?: unknown }).type;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      logger.warn({ status, type }, 'wecom callback body rejected');
      res.status(status).type('text/plain').send('bad request');
      return;
    }
    rejectCallback(res, error, logger, 'wecom');
  };
}

export interface UrlVerificationDeps {
  token: string;
  aesKey: Buffer;
  /** The corp id for the self-built app, "" for the AI bot. */
  receiveId: string;
  maxSkewSeconds: number;
  now: () => number;
}

/** GET callback-URL verification, shared by the app and the AI bot: check, decrypt, echo the plaintext. */
export function urlVerificationHandler(
  route: string,
  deps: UrlVerificationDeps,
  logger: Logger,
): RequestHandler {
  return (req: Request, res: Response) => {
    try {
      const query = readSignedQuery(req);
      const echostr = readEchostr(req);
      verifySignature({
        token: deps.token,
        ...query,
        encrypt: echostr,
        maxSkewSeconds: deps.maxSkewSeconds,
        nowMilliseconds: deps.now(),
      });
      const plain = decryptMessage(deps.aesKey, echostr, deps.receiveId);
      logger.info({ route }, 'wecom callback URL verified');
      // Exactly the plaintext: no quotes, BOM or newline.
      res.status(200).type('text/plain').send(plain);
    } catch (error) {
      rejectCallback(res, error, logger, route);
    }
  };
}
