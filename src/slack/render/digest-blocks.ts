import type { DigestItem } from '../../digest/digest.js';
import { figureLine } from '../../figures/render-figures.js';
import { ActionId, encodeDigestRef } from '../action-ids.js';
import { context, fallbackText, type SlackMessage } from './blocks.js';
import { escapeMrkdwn, SlackLimits, truncate } from './mrkdwn.js';

/**
 * One new-document digest message: title, issuer · 文号 · date, three summary lines, its key figures (each with
 * its verbatim quote), and an "Ask about it" button (the document's summary in a thread, see
 * listeners/actions/digest-ask.ts) with the question to type for those who prefer to.
 */
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
  if (item.figures.length > 0) {
    // Each line is cut to fit, so the section stays under Slack's limit with all of them.
    const per = Math.floor(SlackLimits.sectionText / item.figures.length) - 20;
    const lines = item.figures.map((f) => `• ${escapeMrkdwn(truncate(figureLine(f), per))}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Key figures*\n${lines.join('\n')}` } });
  }
  blocks.push({
    type: 'actions',
    block_id: `policybot_digest_${item.docId}`.slice(0, 255),
    elements: [
      {
        type: 'button',
        action_id: ActionId.DigestAsk,
        text: { type: 'plain_text', text: 'Ask about it' },
        value: encodeDigestRef({ docId: item.docId, question: item.ask }),
      },
    ],
  });
  blocks.push(
    context(
      `Or ask: \`${escapeMrkdwn(`${slashCommand} ${item.ask}`)}\`, mention me with a question, or reply in the button's thread`,
    ),
  );
  return { text: fallbackText(header), blocks };
}
