import { type SlackMessage, sections } from './blocks.js';

/** Usage for the slash command, mentions, DMs and threads. */
export function renderHelp(slashCommand: string): SlackMessage {
  const c = slashCommand;
  const text = [
    '*Ask me about the policy documents — every answer cites its sources.*',
    `• \`${c} <question>\` — a private answer, with a *Share to channel* button`,
    `• \`${c} summary <issuer>\` — a issuer's plan (or \`${c} summary\` for all)`,
    `• \`${c} issuers\` — the issuers I know`,
    `• \`${c} figures <issuer|document|topic>\` — key figures (targets, results, deadlines) with their quotes`,
    `• \`${c} help\` — this message`,
    '• Mention me in a channel (`@policybot 2021年新建了多少个5G基站？`) and I answer in the thread;',
    '  reply in that thread to ask a follow-up — no need to mention me again.',
    '• Or send me a direct message.',
    '_Slack does not allow slash commands inside threads: in a thread, mention me instead._',
  ].join('\n');
  return {
    text: `Usage: ${c} <question> | summary <issuer> | issuers | help`,
    blocks: sections(text),
  };
}
