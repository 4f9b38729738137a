import { citationSource } from '../../answer/citation-source.js';
import type { Citation } from '../../types.js';
import { type Block, sections } from './blocks.js';
import { escapeMrkdwn, oneLine, truncate } from './mrkdwn.js';

/** Quotes longer than this are cut in the Sources list (the whole passage stays in the corpus). */
export const MAX_QUOTE_CHARS = 150;

/** One Sources line: `[n] issuer · 《title》（文号） › section · “quote”` (mrkdwn, escaped). */
export function sourceLine(citation: Citation): string {
  const quote = truncate(oneLine(citation.quote), MAX_QUOTE_CHARS);
  const who = citation.issuer ? `${citation.issuer} · ` : '';
  return escapeMrkdwn(`[${citation.n}] ${who}${citationSource(citation)} · “${quote}”`);
}

/** The Sources heading and one line per citation, as section blocks split under Slack's limits. */
export function sourcesBlocks(citations: Citation[], heading = 'Sources'): Block[] {
  if (citations.length === 0) return [];
  const lines = [...citations].sort((a, b) => a.n - b.n).map(sourceLine);
  return sections(`*${heading}*\n${lines.join('\n')}`);
}
