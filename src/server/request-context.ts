import type { RequestHandler, Response } from 'express';
import { type Logger, newRequestId } from '../logging/logger.js';

/** Per-request values every handler can rely on once `requestContext()` has run. */
export interface RequestContext {
  requestId: string;
  /** Child logger carrying the request id. */
  log: Logger;
}

const KEY = 'policybotContext';

/** The context set by `requestContext()`, or a fresh one if it did not run (keeps the error sink total). */
export function contextOf(res: Response, logger: Logger): RequestContext {
  const existing = res.locals[KEY] as RequestContext | undefined;
  if (existing) return existing;
  const requestId = newRequestId();
  const created: RequestContext = { requestId, log: logger.child({ requestId }) };
  res.locals[KEY] = created;
  if (!res.headersSent) res.setHeader('X-Request-Id', requestId);
  return created;
}

/** Paths logged at debug rather than info: static assets and health probes would drown the API lines. */
const QUIET = /^\/(?:healthz$|[^/]+\.(?:css|js|svg|ico|png)$|$)/;

/**
 * Gives every request an id (also sent back as `X-Request-Id`) and a child logger, and writes one
 * access line when the response ends. Ids are generated here, never taken from the client, so a log
 * search by id cannot be polluted by a caller.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = newRequestId();
    const log = logger.child({ requestId });
    res.locals[KEY] = { requestId, log } satisfies RequestContext;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        aborted: !res.writableFinished,
      };
      if (QUIET.test(req.path) && res.statusCode < 400) log.debug(line, 'http request');
      else log.info(line, 'http request');
    });
    next();
  };
}
