import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { DedupeStore } from '../../internal/ttl-store.js';
import { requestState } from '../request-state.js';

/**
 * Drops an Events API delivery whose `event_id` was already seen: Slack retries (X-Slack-Retry-Num) when an ack
 * is slow or lost, and in Socket Mode a reconnect can redeliver. Bolt has already acknowledged the retry.
 */
export function dedupeEvents(store: DedupeStore, ttlMs: number): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await store.claim(`slack:event:${eventId}`, ttlMs))) {
      requestState(context).logger.debug({ eventId }, 'duplicate event delivery ignored');
      return;
    }
    await next();
  };
}
