import type { Answer } from '../../types.js';
import { ActionId, encodeAnswerRef } from '../action-ids.js';
import {
  type Block,
  context,
  divider,
  fallbackText,
  fitBlocks,
  type SlackMessage,
  sections,
} from './blocks.js';
import { escapeMrkdwn, formatListMrkdwn } from './mrkdwn.js';
import { sourcesBlocks } from './sources-blocks.js';

export interface AnswerRenderOptions {
  /** 👍/👎 buttons (on by default). */
  feedback?: boolean;
  /** A "Share to channel" button (ephemeral slash-command answers). */
  share?: boolean;
  /** Shown above the answer when someone shared it publicly. */
  sharedBy?: string;
}

function actionsBlock(answer: Answer, options: AnswerRenderOptions): Block | null {
  const value = encodeAnswerRef({ answerId: answer.id, question: answer.question });
  const elements: Extract<Block, { type: 'actions' }>['elements'] = [];
  if (options.share) {
    elements.push({
      type: 'button',
      action_id: ActionId.ShareAnswer,
      text: { type: 'plain_text', text: 'Share to channel' },
      style: 'primary',
      value,
    });
  }
  if (options.feedback ?? true) {
    elements.push(
      { type: 'button', action_id: ActionId.FeedbackUp, text: { type: 'plain_text', text: '👍' }, value },
      { type: 'button', action_id: ActionId.FeedbackDown, text: { type: 'plain_text', text: '👎' }, value },
    );
  }
  return elements.length > 0
    ? { type: 'actions', block_id: `policybot_answer_${answer.id}`.slice(0, 255), elements }
    : null;
}

/**
 * Block Kit for a verified answer: the answer text (split under 3,000 characters a section), any notice or
 * suggestions, then Sources (`[n] issuer · article title · quote`), then the buttons — at most 50 blocks.
 */
export function renderAnswer(answer: Answer, options: AnswerRenderOptions = {}): SlackMessage {
  const head: Block[] = [];
  if (options.sharedBy)
    head.push(context(`<@${options.sharedBy}> shared an answer to: ${escapeMrkdwn(answer.question)}`));
  head.push(...sections(formatListMrkdwn(escapeMrkdwn(answer.text))));
  if (answer.notice) head.push(context(`:information_source: ${escapeMrkdwn(answer.notice)}`));
  if (answer.refused && answer.suggestions.length > 0) {
    const label = answer.language === 'zh' ? '可以试试这些主题或部门：' : 'You could ask about: ';
    head.push(
      context(escapeMrkdwn(`${label}${answer.suggestions.join(answer.language === 'zh' ? '、' : ', ')}`)),
    );
  }
  const tail: Block[] = [];
  const sources = sourcesBlocks(answer.citations);
  if (sources.length > 0) tail.push(divider(), ...sources);
  const actions = actionsBlock(answer, options);
  if (actions) tail.push(actions);
  return { text: fallbackText(answer.text), blocks: fitBlocks(head, tail) };
}

/** The in-progress text while an answer streams (no sources yet: they come with the verified answer). */
export function renderPartial(text: string): SlackMessage {
  const shown = text.trim() ? `${text.trim()} …` : '…';
  return { text: fallbackText(shown), blocks: sections(escapeMrkdwn(shown)) };
}
