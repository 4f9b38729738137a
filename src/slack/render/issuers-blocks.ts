import type { IssuerInfo } from '../../types.js';
import { fallbackText, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The issuers the corpus covers, with the command to summarise each. */
export function renderIssuers(issuers: IssuerInfo[], slashCommand: string): SlackMessage {
  if (issuers.length === 0) {
    return { text: 'No issuers are indexed yet.', blocks: sections('No issuers are indexed yet.') };
  }
  const lines = issuers.map(
    (d) => `• *${escapeMrkdwn(d.short)}* — ${escapeMrkdwn(d.full)} · ${escapeMrkdwn(d.partTitle)}`,
  );
  const text = `*Issuers covered* (try \`${slashCommand} summary ${escapeMrkdwn(issuers[0]?.short ?? '')}\`)\n${lines.join('\n')}`;
  return { text: fallbackText(issuers.map((d) => d.short).join(', ')), blocks: sections(text) };
}
