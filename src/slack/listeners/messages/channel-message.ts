import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInConversation } from '../../answer/answer-in-conversation.js';
import { fetchThreadHistory } from '../../answer/thread-history.js';
import { isChannelAllowed, type SlackDeps } from '../../deps.js';
import { requestState } from '../../request-state.js';
import { answerMention } from '../events/app-mention.js';
import { envelopeTeamId, type MessageFields, mentionsUser } from '../message-fields.js';

const CHANNEL_TYPES = new Set(['channel', 'group', 'mpim']);

/**
 * A message in a channel the bot is in. Two cases are answered:
 * - it mentions the bot: the same as app_mention (whichever event arrives first answers; the other is deduped);
 * - it is a reply in a thread the bot has answered (when SLACK_THREAD_FOLLOWUPS is on): answered in the thread,
 *   with the thread's history as prior turns. "Answered" is known locally, or from a bot message in
 *   conversations.replies (after a restart or on another replica) — the same call that provides the history.
 */
export function channelMessage(deps: SlackDeps) {
  return async ({
    message,
    body,
    context,
    client,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const m = message as unknown as MessageFields;
    if (!m.channel_type || !CHANNEL_TYPES.has(m.channel_type) || !m.user) return;
    const state = requestState(context);
    if (mentionsUser(m.text, context.botUserId)) {
      await answerMention(client, deps, state, context, m, body);
      return;
    }
    const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
    if (!isReply || !deps.config.threadFollowups || !isChannelAllowed(deps.config, m.channel, false)) return;
    const threadTs = m.thread_ts as string;
    const history = await fetchThreadHistory(client, {
      channel: m.channel,
      threadTs,
      excludeTs: m.ts,
      ...(context.botUserId ? { botUserId: context.botUserId } : {}),
      ...(context.botId ? { botId: context.botId } : {}),
    });
    if (!history.botParticipated && !(await deps.answeredThreads.get(`${m.channel}:${threadTs}`))) return;
    await answerInConversation(
      client,
      deps,
      state,
      {
        channel: m.channel,
        user: m.user,
        teamId: envelopeTeamId(body),
        messageTs: m.ts,
        inThreadTs: threadTs,
        replyThreadTs: threadTs,
        text: m.text ?? '',
        botUserId: context.botUserId,
        botId: context.botId,
        history: history.turns,
      },
      { isDirectMessage: false },
    );
  };
}
