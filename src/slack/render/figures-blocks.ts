import { figureLine } from '../../figures/render-figures.js';
import type { Figure } from '../../types.js';
import { context, fallbackText, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Figures shown in one message; the rest are counted and left to the CLI, the API and the web page. */
export const FIGURES_PER_MESSAGE = 15;

/** Key figures as a list: year, target/result, subject and value, the quote, and where it is. */
export function renderFigures(figures: readonly Figure[], target: string | null): SlackMessage {
  const what = target ? `“${escapeMrkdwn(target)}”` : 'the library';
  if (figures.length === 0) {
    const text = `No key figures found for ${what}. Try an issuer, a document or a topic word.`;
    return { text, blocks: sections(text) };
  }
  const shown = figures.slice(0, FIGURES_PER_MESSAGE);
  const lines = shown.map((f) => {
    const where = [f.issuer, f.sectionPath[f.sectionPath.length - 1]].filter(Boolean).join(' · ');
    return `• ${escapeMrkdwn(truncate(figureLine(f), 240))}${where ? ` _(${escapeMrkdwn(truncate(where, 60))})_` : ''}`;
  });
  const more = figures.length - shown.length;
  const blocks = [
    ...sections(`*Key figures of ${what}* (${figures.length})\n${lines.join('\n')}`),
    ...(more > 0
      ? [context(`${more} more — \`policybot figures\`, \`GET /api/figures\` or the web page's Figures view`)]
      : []),
  ];
  return { text: fallbackText(shown.map((f) => `${f.subject} ${f.valueText}`).join('; ')), blocks };
}
