import type { DigestItem } from '../../digest/digest.js';
import { context, fallbackText, type SlackMessage } from './blocks.js';
import { escapeMrkdwn, SlackLimits } from './mrkdwn.js';

/** One new-document digest message: title, issuer · 文号 · date, three summary lines, how to ask about it. */
export function renderDigest(item: DigestItem, slashCommand: string): SlackMessage {
  const fields = [
    { label: 'Issuer', value: item.issuers.join('、') },
    { label: '文号', value: item.docNumber },
    { label: 'Date', value: item.date },
    { label: 'Region', value: item.region },
  ].filter((f): f is { label: string; value: string } => Boolean(f.value));
  const header = `${item.changed ? 'Updated document' : 'New document'}: ${item.title}`;
  const blocks: SlackMessage['blocks'] = [
    { type: 'header', text: { type: 'plain_text', text: header.slice(0, 150), emoji: false } },
  ];
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${escapeMrkdwn(f.value)}` })),
    });
  }
  if (item.summary.length > 0) {
    const text = item.summary.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, SlackLimits.sectionText) } });
  }
  blocks.push(
    context(
      `Ask about it: \`${escapeMrkdwn(`${slashCommand} ${item.ask}`)}\` or mention me with the question`,
    ),
  );
  return { text: fallbackText(header), blocks };
}
