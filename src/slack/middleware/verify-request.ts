import { parse as parseQueryString } from 'node:querystring';
import express, { type RequestHandler } from 'express';
import { isCodedError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { verifySlackSignature } from '../verify-signature.js';

/** The same cap as Bolt's receiver (4 MB). */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the body the way Slack sends it: JSON (Events API) or a form (commands; interactivity as `payload`). */
function parseBody(raw: string, contentType: string | undefined): unknown {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const form = parseQueryString(raw);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(raw);
}

/**
 * What is wrong with a signed body that Bolt would choke on (it reads `body.event.channel`,
 * `body.user.team_id`… without checks and answers 500), or null when its shape is one Bolt handles.
 */
export function slackBodyProblem(body: unknown): string | null {
  if (!isRecord(body)) return 'body is not a JSON object';
  if ('event' in body) {
    const event = body.event;
    if (!isRecord(event) || typeof event.type !== 'string') return '"event" is not an object with a type';
    if ('item' in event && !isRecord(event.item)) return '"event.item" is not an object';
    if ('authorizations' in body && !Array.isArray(body.authorizations))
      return '"authorizations" is not a list';
    return null;
  }
  if (body.type === 'event_callback') return 'event_callback without an event';
  if ('command' in body) {
    for (const field of ['command', 'user_id', 'channel_id']) {
      if (typeof body[field] !== 'string') return `slash command without "${field}"`;
    }
    return null;
  }
  if ('actions' in body || body.type === 'block_actions' || body.type === 'view_submission') {
    if ('actions' in body && !Array.isArray(body.actions)) return '"actions" is not a list';
    if (!isRecord(body.user) || typeof body.user.id !== 'string') return 'interaction without a user';
    for (const field of ['team', 'channel', 'container', 'view']) {
      if (field in body && body[field] !== null && !isRecord(body[field]))
        return `"${field}" is not an object`;
    }
  }
  return null;
}

/**
 * Runs before Bolt's receiver on the Slack endpoint. Checks the signature and a timestamp window that is
 * two-sided (Bolt only rejects old timestamps, so a request dated a day ahead would be accepted and could be
 * replayed all day), and rejects signed bodies Bolt cannot handle with 400 rather than letting it answer 500.
 * The raw body is handed on as `req.rawBody`, which Bolt reads instead of the (consumed) stream.
 */
export function verifySlackRequest(options: {
  signingSecret: string;
  logger: Logger;
  now?: () => number;
}): RequestHandler[] {
  const now = options.now ?? Date.now;
  const check: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = raw.toString('utf8');
    try {
      verifySlackSignature({
        signingSecret: options.signingSecret,
        body,
        headers: req.headers,
        nowMs: now(),
      });
    } catch (error) {
      const code = isCodedError(error) ? error.code : undefined;
      options.logger.warn({ code, reason: (error as Error).message }, 'slack request rejected');
      res.status(401).send();
      return;
    }
    let problem: string | null;
    try {
      problem = slackBodyProblem(parseBody(body, req.headers['content-type']));
    } catch {
      problem = 'body cannot be parsed';
    }
    if (problem) {
      options.logger.warn({ reason: problem }, 'signed slack request with a malformed body rejected');
      res.status(400).send();
      return;
    }
    (req as typeof req & { rawBody: Buffer }).rawBody = raw;
    next();
  };
  return [express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }), check];
}
