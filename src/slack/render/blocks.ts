import type { types } from '@slack/bolt';
import { escapeMrkdwn, SlackLimits, splitText } from './mrkdwn.js';

export type Block = types.KnownBlock;

/** A rendered message: Block Kit plus the plain fallback `text` used for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Section blocks for (already escaped) mrkdwn, split under the per-section limit. */
export function sections(mrkdwn: string): Block[] {
  return splitText(mrkdwn, SlackLimits.sectionText).map((piece) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: piece },
  }));
}

/** A context block with one mrkdwn element. */
export function context(mrkdwn: string): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: mrkdwn.slice(0, SlackLimits.contextElementText) }],
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

/**
 * Joins a head (answer) and a tail (sources, buttons) under Slack's 50-blocks limit. The tail keeps its
 * footer (last block, the buttons) and as many sources as fit in half the budget; the head fills the rest and
 * says it was cut.
 */
export function fitBlocks(head: Block[], tail: Block[], max: number = SlackLimits.blocksPerMessage): Block[] {
  if (head.length + tail.length <= max) return [...head, ...tail];
  const tailBudget = Math.min(tail.length, Math.floor(max / 2));
  const keptTail =
    tail.length > tailBudget ? [...tail.slice(0, tailBudget - 1), ...tail.slice(tail.length - 1)] : tail;
  const headBudget = max - keptTail.length;
  const keptHead =
    head.length > headBudget ? [...head.slice(0, headBudget - 1), context('_(truncated)_')] : head;
  return [...keptHead, ...keptTail];
}

/** Plain text for a message's fallback `text`: escaped (Slack parses it as mrkdwn) and shortened. */
export function fallbackText(text: string): string {
  const escaped = escapeMrkdwn(text.trim());
  return escaped.length > SlackLimits.fallbackText
    ? `${escaped.slice(0, SlackLimits.fallbackText - 1)}…`
    : escaped;
}
