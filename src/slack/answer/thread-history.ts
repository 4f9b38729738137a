import type { webApi } from '@slack/bolt';
import type { Turn } from '../../types.js';

/** Older turns beyond this add little and cost prompt space. */
const MAX_TURNS = 20;

export interface ThreadHistory {
  turns: Turn[];
  /** This bot posted in the thread (so a follow-up without a mention is meant for it). */
  botParticipated: boolean;
}

/** Removes mentions of the bot (`<@U123>` or `<@U123|name>`) and tidies whitespace. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const pattern = botUserId
    ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g')
    : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(pattern, ' ').replace(/\s+/g, ' ').trim();
}

/** Our fallback text is mrkdwn-escaped; the engine should see the plain answer. */
function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface ReplyMessage {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

/**
 * The thread's earlier messages as conversation turns (oldest first) from conversations.replies: this bot's
 * messages become `assistant` turns, people's become `user` turns with the bot mention stripped. Other bots'
 * messages and the current message (`excludeTs`) are left out.
 */
export async function fetchThreadHistory(
  client: webApi.WebClient,
  input: { channel: string; threadTs: string; excludeTs: string; botUserId?: string; botId?: string },
): Promise<ThreadHistory> {
  const result = await client.conversations.replies({
    channel: input.channel,
    ts: input.threadTs,
    limit: 100,
  });
  const messages = (result.messages ?? []) as ReplyMessage[];
  const turns: Turn[] = [];
  let botParticipated = false;
  for (const m of messages) {
    if (m.ts === input.excludeTs) continue;
    const fromThisBot =
      (input.botId !== undefined && m.bot_id === input.botId) ||
      (input.botUserId !== undefined && m.user === input.botUserId);
    if (fromThisBot) {
      botParticipated = true;
      const text = unescapeMrkdwn(m.text ?? '').trim();
      if (text) turns.push({ role: 'assistant', text });
      continue;
    }
    if (m.bot_id || (m.subtype && m.subtype !== 'thread_broadcast')) continue;
    const text = stripBotMention(m.text ?? '', input.botUserId);
    if (text) turns.push({ role: 'user', text });
  }
  return { turns: turns.slice(-MAX_TURNS), botParticipated };
}
