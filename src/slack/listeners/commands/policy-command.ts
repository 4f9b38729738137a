import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../../commands/parse-command.js';
import { applySubscriptionCommand, type SubscriptionResult } from '../../../digest/subscribe.js';
import { toDocumentScope } from '../../../scopes/index.js';
import { isChannelAllowed, isDirectMessageChannel, type SlackDeps } from '../../deps.js';
import { renderAnswer } from '../../render/answer-blocks.js';
import type { SlackMessage } from '../../render/blocks.js';
import { renderComparisonBlocks } from '../../render/compare-blocks.js';
import { renderFigures } from '../../render/figures-blocks.js';
import { renderHelp } from '../../render/help-blocks.js';
import { renderIssuers } from '../../render/issuers-blocks.js';
import { renderScope } from '../../render/scope-blocks.js';
import { renderSummary } from '../../render/summary-blocks.js';
import { detectLanguage, requestState } from '../../request-state.js';

function subscriptionReply(result: SubscriptionResult, isDm: boolean): string {
  const where = isDm ? 'You' : 'This channel';
  const what = result.filter ? `new documents matching “${result.filter}”` : 'every new document';
  if (result.kind === 'subscribed') {
    return result.isNew
      ? `${where} will get one message for ${what} (in ${isDm ? 'this DM' : "this channel's document set"}).`
      : `${where} already get${isDm ? '' : 's'} ${what}.`;
  }
  if (result.removed === 0) return 'There was no such subscription.';
  return `Removed ${result.removed} subscription${result.removed === 1 ? '' : 's'}.`;
}

function ephemeral(message: SlackMessage): RespondArguments {
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}

/**
 * The slash command (`/policy` unless configured otherwise). Acknowledges first with an empty body, then does
 * the work and replies privately through `response_url`.
 */
export function policyCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    await deps.ackGate.idle();
    const state = requestState(context);
    state.replyWithError = async (text) => {
      await respond({ response_type: 'ephemeral', text });
    };
    const sub = parseCommand(command.text ?? '');
    state.logger.info({ subcommand: sub.kind, channel: command.channel_id }, 'slack slash command');
    if (sub.kind === 'help') {
      await respond(
        ephemeral(renderHelp(deps.config.slashCommand, deps.engine.exampleQuestions(state.language))),
      );
      return;
    }
    const isDm = isDirectMessageChannel(command.channel_id, command.channel_name);
    const scope = deps.scopes.forSlack(command.channel_id, isDm);
    const documentScope = toDocumentScope(scope);
    if (sub.kind === 'issuers') {
      const issuers = deps.scopes.issuersIn(scope, deps.engine.issuers());
      await respond(ephemeral(renderIssuers(issuers, deps.config.slashCommand)));
      return;
    }
    if (sub.kind === 'scope') {
      await respond(ephemeral(renderScope(scope, deps.engine.documents())));
      return;
    }
    if (!isChannelAllowed(deps.config, command.channel_id, isDm)) {
      await respond({
        response_type: 'ephemeral',
        text: "I'm not enabled in this channel. Send me a direct message instead, or ask an admin to add this channel to SLACK_CHANNEL_ALLOWLIST.",
      });
      return;
    }
    const wait = await deps.limiter.take(command.user_id);
    if (wait > 0) {
      await respond({
        response_type: 'ephemeral',
        text: `You're asking faster than I can keep up with (${deps.config.rateLimitPerMinute} questions a minute). Please try again in ${wait}s.`,
      });
      return;
    }
    if (sub.kind === 'summary') {
      const summary = await deps.engine.summary(sub.target, {
        language: state.language,
        requestId: state.requestId,
        ...(documentScope ? { scope: documentScope } : {}),
      });
      await respond(ephemeral(renderSummary(summary)));
      return;
    }
    if (sub.kind === 'compare') {
      const comparison = await deps.engine.compare({
        before: sub.before,
        after: sub.after,
        language: state.language,
        requestId: state.requestId,
      });
      await respond(ephemeral(renderComparisonBlocks(comparison)));
      return;
    }
    if (sub.kind === 'subscribe' || sub.kind === 'unsubscribe') {
      if (!deps.subscriptions) {
        await respond({ response_type: 'ephemeral', text: 'New-document digests are not enabled here.' });
        return;
      }
      const result = await applySubscriptionCommand(deps.subscriptions, 'slack', command.channel_id, sub);
      await respond({ response_type: 'ephemeral', text: subscriptionReply(result, isDm) });
      return;
    }
    if (sub.kind === 'figures') {
      const figures = deps.engine.figures({
        target: sub.target ?? '',
        ...(documentScope ? { scope: documentScope } : {}),
      });
      await respond(ephemeral(renderFigures(figures, sub.target)));
      return;
    }
    const answer = await deps.engine.answer({
      text: sub.text,
      requestId: state.requestId,
      language: detectLanguage(sub.text),
      ...(documentScope ? { scope: documentScope } : {}),
    });
    await deps.answers.set(answer.id, answer);
    await respond(ephemeral(renderAnswer(answer, { share: true })));
    state.logger.info({ answerId: answer.id }, 'slack slash answer sent');
  };
}
