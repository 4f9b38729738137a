import type { AllMiddlewareArgs, Context, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { answerInConversation, claimMessage } from '../../answer/answer-in-conversation.js';
import { isChannelAllowed, type SlackDeps } from '../../deps.js';
import { type RequestState, requestState } from '../../request-state.js';
import { envelopeTeamId, type MessageFields } from '../message-fields.js';

/**
 * An explicit mention in a channel (from app_mention, or from the message event that arrives for the same
 * message): answer in that message's thread. In a channel outside the allowlist, the asker gets one private note.
 */
export async function answerMention(
  client: webApi.WebClient,
  deps: SlackDeps,
  state: RequestState,
  context: Context,
  event: MessageFields,
  body: unknown,
): Promise<void> {
  if (!event.user) return;
  const threadTs = event.thread_ts ?? event.ts;
  if (!isChannelAllowed(deps.config, event.channel, false)) {
    if (!(await claimMessage(deps, event.channel, event.ts))) return;
    state.logger.info({ channel: event.channel }, 'mention in a channel outside SLACK_CHANNEL_ALLOWLIST');
    await client.chat.postEphemeral({
      channel: event.channel,
      user: event.user,
      thread_ts: threadTs,
      text: "I'm not enabled in this channel. Send me a direct message instead, or ask an admin to add this channel to SLACK_CHANNEL_ALLOWLIST.",
    });
    return;
  }
  await answerInConversation(
    client,
    deps,
    state,
    {
      channel: event.channel,
      user: event.user,
      teamId: envelopeTeamId(body),
      messageTs: event.ts,
      inThreadTs: event.thread_ts,
      replyThreadTs: threadTs,
      text: event.text ?? '',
      botUserId: context.botUserId,
      botId: context.botId,
    },
    { isDirectMessage: false },
  );
}

/** `app_mention` listener. */
export function appMention(deps: SlackDeps) {
  return async ({
    event,
    body,
    context,
    client,
  }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    await answerMention(
      client,
      deps,
      requestState(context),
      context,
      event as unknown as MessageFields,
      body,
    );
  };
}
