import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AckGate } from '../../internal/AckGate.js';
import { type Logger, newRequestId } from '../../logging/logger.js';
import { detectLanguage, setRequestState } from '../request-state.js';

function userText(body: Record<string, unknown>): string {
  const event = body.event as { text?: unknown } | undefined;
  if (typeof event?.text === 'string') return event.text;
  if (typeof body.text === 'string') return body.text;
  return '';
}

/**
 * First global middleware: gives every request an id and a child logger, and registers the downstream work
 * with `inFlight` so `stop()` can wait for answers that were acknowledged but not yet sent. Events API
 * deliveries were acknowledged by Bolt before this runs; their work waits at the ack gate so the acks of other
 * deliveries in a burst go out first (commands and actions ack in their listener, then wait there).
 */
export function requestContext(
  logger: Logger,
  inFlight: Set<Promise<unknown>>,
  ackGate: AckGate,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const requestId = newRequestId();
    const b = body as unknown as Record<string, unknown>;
    const event = b.event as { type?: string } | undefined;
    const kind = event?.type ?? (typeof b.command === 'string' ? b.command : (b.type as string | undefined));
    const child = logger.child({ requestId, slack: { kind, retryNum: context.retryNum } });
    setRequestState(context, { requestId, logger: child, language: detectLanguage(userText(b)) });
    const isEvent = typeof b.event_id === 'string';
    const work = (async () => {
      if (isEvent) await ackGate.idle();
      await next();
    })();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  };
}
