import { citationsCitedIn } from '../../compare/render.js';
import type { Comparison } from '../../types.js';
import {
  type Block,
  context,
  divider,
  fallbackText,
  fitBlocks,
  type SlackMessage,
  sections,
} from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { sourcesBlocks } from './sources-blocks.js';

/** Block Kit for a comparison: its text (each side cited), any notice, then the Sources its text cites. */
export function renderComparisonBlocks(comparison: Comparison): SlackMessage {
  const head: Block[] = sections(escapeMrkdwn(comparison.text));
  if (comparison.notice) head.push(context(`:information_source: ${escapeMrkdwn(comparison.notice)}`));
  const sources = sourcesBlocks(citationsCitedIn(comparison.text, comparison.citations));
  const tail: Block[] = sources.length > 0 ? [divider(), ...sources] : [];
  return { text: fallbackText(comparison.text), blocks: fitBlocks(head, tail) };
}
