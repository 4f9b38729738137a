import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { toDocumentScope } from '../../../scopes/index.js';
import { decodeDigestRef } from '../../action-ids.js';
import { isDirectMessageChannel, type SlackDeps } from '../../deps.js';
import { context } from '../../render/blocks.js';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
import { renderSummary } from '../../render/summary-blocks.js';
import { requestState } from '../../request-state.js';

/**
 * "Ask about it" on a new-document digest: acknowledged at once, then the document's summary is posted in a
 * thread under the digest, inviting a question there (thread replies are answered as follow-ups, with the
 * summary as the thread's history). A document that left the library (or the channel's set) is said so privately.
 */
export function digestAsk(deps: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
    context: ctx,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    await deps.ackGate.idle();
    const state = requestState(ctx);
    const unavailable = async (text: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    state.replyWithError = unavailable;
    const ref = decodeDigestRef(action.value);
    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    const threadTs = (body.container.thread_ts ?? body.container.message_ts) as string | undefined;
    if (!ref || !channel || !threadTs) {
      await unavailable('That document can no longer be opened from here; please ask about it by name.');
      return;
    }
    const scope = deps.scopes.forSlack(channel, isDirectMessageChannel(channel));
    const known = deps.engine.documents().some((d) => d.id === ref.docId);
    if (!known || (scope.docIds !== null && !scope.docIds.includes(ref.docId))) {
      await unavailable('That document is no longer in the library this channel sees.');
      return;
    }
    const documentScope = toDocumentScope(scope);
    const summary = await deps.engine.summary(ref.docId, {
      target: 'document',
      requestId: state.requestId,
      ...(documentScope ? { scope: documentScope } : {}),
    });
    const message = renderSummary(summary);
    await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: message.text,
      blocks: [
        ...message.blocks.slice(0, 49),
        context(
          `<@${body.user.id}> asked about it. Reply in this thread with a question, e.g. “${escapeMrkdwn(ref.question)}”`,
        ),
      ],
      unfurl_links: false,
    });
    await deps.answeredThreads.set(`${channel}:${threadTs}`, true);
    state.logger.info({ doc: ref.docId, channel }, 'slack digest ask-about-it answered');
  };
}
