import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ActionId, decodeAnswerRef } from '../../action-ids.js';
import type { SlackDeps } from '../../deps.js';
import { requestState } from '../../request-state.js';

/**
 * 👍/👎 on an answer: appends {ts, question, answerId, user, vote} to the feedback log and thanks the user
 * privately — chat.postEphemeral on a normal message, `response_url` on an ephemeral (slash-command) one,
 * which chat.postEphemeral cannot reach outside channels the bot is in.
 */
export function feedbackVote(deps: SlackDeps) {
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
    const ref = decodeAnswerRef(action.value);
    if (!ref) return;
    const vote = action.action_id === ActionId.FeedbackUp ? 'up' : 'down';
    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined) ?? null;
    await deps.feedback.append({
      ts: new Date().toISOString(),
      question: ref.question,
      answerId: ref.answerId,
      user: body.user.id,
      vote,
      source: 'slack',
      channel,
    });
    state.logger.info({ answerId: ref.answerId, vote }, 'slack feedback recorded');
    const text =
      vote === 'up' ? 'Thanks for the feedback! 🙏' : "Thanks — noted. I'll use this to improve my answers.";
    const threadTs = body.container.thread_ts as string | undefined;
    if (body.container.is_ephemeral === true || !channel) {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    await client.chat.postEphemeral({
      channel,
      user: body.user.id,
      text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  };
}
