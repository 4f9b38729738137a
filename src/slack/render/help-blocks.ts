import { type SlackMessage, sections } from './blocks.js';

/** Usage for the slash command, mentions, DMs and threads. */
/** `examples`: questions made from the loaded library (`PolicyEngine.exampleQuestions`). */
export function renderHelp(slashCommand: string, examples: readonly string[] = []): SlackMessage {
  const c = slashCommand;
  const [example] = examples;
  const text = [
    '*Ask me about the policy documents — every answer cites its sources.*',
    `• \`${c} <question>\` — a private answer, with a *Share to channel* button`,
    `• \`${c} summary <issuer or document>\` — an issuer's documents, or a document's main sections by 文号 or title (or \`${c} summary\` for all)`,
    `• \`${c} compare <A> [B]\` — what changed: two documents (\`A vs B\`), one issuer's two years (\`<issuer> 2021 2022\`), or one plan's results vs its targets`,
    `• \`${c} issuers\` — the issuers I know`,
    `• \`${c} scope\` — which documents this channel sees`,
    `• \`${c} subscribe [issuer|region|keyword]\` — a message here for each new document (\`${c} unsubscribe\` to stop)`,
    `• \`${c} figures <issuer|document|topic>\` — key figures (targets, results, deadlines) with their quotes`,
    `• \`${c} help\` — this message`,
    `• Mention me in a channel (${example ? `\`@policybot ${example}\`` : '`@policybot <question>`'}) and I answer in the thread;`,
    '  reply in that thread to ask a follow-up — no need to mention me again.',
    '• Or send me a direct message.',
    '_Slack does not allow slash commands inside threads: in a thread, mention me instead._',
  ].join('\n');
  return {
    text: `Usage: ${c} <question> | summary <issuer or document> | compare <A> [B] | issuers | help`,
    blocks: sections(text),
  };
}
