import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../../commands/parse-command.js';
import { isChannelAllowed, type SlackDeps } from '../../deps.js';
import { renderAnswer } from '../../render/answer-blocks.js';
import type { SlackMessage } from '../../render/blocks.js';
import { renderFigures } from '../../render/figures-blocks.js';
import { renderHelp } from '../../render/help-blocks.js';
import { renderIssuers } from '../../render/issuers-blocks.js';
import { renderSummary } from '../../render/summary-blocks.js';
import { detectLanguage, requestState } from '../../request-state.js';

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
      await respond(ephemeral(renderHelp(deps.config.slashCommand)));
      return;
    }
    if (sub.kind === 'issuers') {
      await respond(ephemeral(renderIssuers(deps.engine.issuers(), deps.config.slashCommand)));
      return;
    }
    const isDm = command.channel_id.startsWith('D') || command.channel_name === 'directmessage';
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
      });
      await respond(ephemeral(renderSummary(summary)));
      return;
    }
    if (sub.kind === 'figures') {
      await respond(ephemeral(renderFigures(deps.engine.figures({ target: sub.target ?? '' }), sub.target)));
      return;
    }
    const answer = await deps.engine.answer({
      text: sub.text,
      requestId: state.requestId,
      language: detectLanguage(sub.text),
    });
    await deps.answers.set(answer.id, answer);
    await respond(ephemeral(renderAnswer(answer, { share: true })));
    state.logger.info({ answerId: answer.id }, 'slack slash answer sent');
  };
}
