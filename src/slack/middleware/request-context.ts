import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
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
 * with `inFlight` so `stop()` can wait for answers that were acknowledged but not yet sent.
 */
export function requestContext(
  logger: Logger,
  inFlight: Set<Promise<unknown>>,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const requestId = newRequestId();
    const b = body as unknown as Record<string, unknown>;
    const event = b.event as { type?: string } | undefined;
    const kind = event?.type ?? (typeof b.command === 'string' ? b.command : (b.type as string | undefined));
    const child = logger.child({ requestId, slack: { kind, retryNum: context.retryNum } });
    setRequestState(context, { requestId, logger: child, language: detectLanguage(userText(b)) });
    // Events are acknowledged before this runs; yielding one macrotask lets the acks of other deliveries that
    // are already in flight go out before this one's answering work takes the CPU (bursts stay fast to ack).
    const work = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
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
