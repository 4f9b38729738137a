import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** Message subtypes that carry a person's new message; everything else (edits, deletes, joins…) is ignored. */
const ANSWERABLE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

interface MessageLike {
  type?: string;
  subtype?: string;
  bot_id?: string;
  bot_profile?: unknown;
  user?: string;
}

/** True for events this bot must never answer: any bot's message (its own included), edits and deletions. */
export function isIgnoredMessageEvent(event: MessageLike, botUserId: string | undefined): boolean {
  if (event.type !== 'message' && event.type !== 'app_mention') return false;
  if (event.bot_id || event.bot_profile) return true;
  if (botUserId && event.user === botUserId) return true;
  return !ANSWERABLE_SUBTYPES.has(event.subtype);
}

/** Global middleware form of {@link isIgnoredMessageEvent}. */
export function ignoreBotAndEditedMessages(): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const event = (body as { event?: MessageLike }).event;
    if (event && isIgnoredMessageEvent(event, context.botUserId)) return;
    await next();
  };
}
