import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ActionId } from '../../action-ids.js';
import type { SlackDeps } from '../../deps.js';
import { digestAsk } from './digest-ask.js';
import { feedbackVote } from './feedback-vote.js';
import { shareAnswer } from './share-answer.js';

/** Block Kit button listeners. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ActionId.ShareAnswer, shareAnswer(deps));
  app.action<BlockAction<ButtonAction>>(ActionId.DigestAsk, digestAsk(deps));
  app.action<BlockAction<ButtonAction>>(ActionId.FeedbackUp, feedbackVote(deps));
  app.action<BlockAction<ButtonAction>>(ActionId.FeedbackDown, feedbackVote(deps));
}
