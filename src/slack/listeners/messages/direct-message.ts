import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInConversation } from '../../answer/answer-in-conversation.js';
import type { SlackDeps } from '../../deps.js';
import { requestState } from '../../request-state.js';
import { envelopeTeamId, type MessageFields } from '../message-fields.js';

/** A direct message to the bot: answered in the DM (in the DM thread when the message is in one). */
export function directMessage(deps: SlackDeps) {
  return async ({
    message,
    body,
    context,
    client,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const m = message as unknown as MessageFields;
    if (m.channel_type !== 'im' || !m.user) return;
    await answerInConversation(
      client,
      deps,
      requestState(context),
      {
        channel: m.channel,
        user: m.user,
        teamId: envelopeTeamId(body),
        messageTs: m.ts,
        inThreadTs: m.thread_ts,
        replyThreadTs: m.thread_ts,
        text: m.text ?? '',
        botUserId: context.botUserId,
        botId: context.botId,
      },
      { isDirectMessage: true },
    );
  };
}
