import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { toDocumentScope } from '../../../scopes/index.js';
import { decodeAnswerRef } from '../../action-ids.js';
import { isDirectMessageChannel, type SlackDeps } from '../../deps.js';
import { renderAnswer } from '../../render/answer-blocks.js';
import { detectLanguage, requestState } from '../../request-state.js';

/** The `scope` of a question asked again for `channel`. */
function scopeOf(deps: SlackDeps, channel: string) {
  const scope = toDocumentScope(deps.scopes.forSlack(channel, isDirectMessageChannel(channel)));
  return scope ? { scope } : {};
}

const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * "Share to channel" on a private slash-command answer: posts the answer publicly (chat.postMessage) in the
 * channel the command was used in, crediting the user, and removes the private copy. The answer comes from the
 * recent-answers cache, or is asked again when the cache no longer has it (restart, another replica).
 */
export function shareAnswer(deps: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
    context,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    await deps.ackGate.idle();
    const state = requestState(context);
    state.replyWithError = async (text) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    const ref = decodeAnswerRef(action.value);
    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    if (!ref || !channel) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That answer can no longer be shared; please ask again.',
      });
      return;
    }
    let answer = await deps.answers.get(ref.answerId);
    if (!answer) {
      state.logger.info({ answerId: ref.answerId }, 'shared answer not cached; answering again');
      answer = await deps.engine.answer({
        text: ref.question,
        requestId: state.requestId,
        language: detectLanguage(ref.question),
        // Asked again for the channel it is shared to: that channel's documents.
        ...scopeOf(deps, channel),
      });
      await deps.answers.set(answer.id, answer);
    }
    const message = renderAnswer(answer, { sharedBy: body.user.id });
    try {
      await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (!code || !NOT_IN_CHANNEL.has(code)) throw error;
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: "I can't post in this channel. Invite me first (`/invite @policybot`), then share again.",
      });
      return;
    }
    await respond({ delete_original: true });
    state.logger.info({ answerId: answer.id, channel }, 'slack answer shared');
  };
}
