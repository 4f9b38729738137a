import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { UnknownIssuerError } from '../errors/index.js';
import { helpText, issuersText, renderSummaryMarkdown } from './render.js';

/** What a WeCom text message asks for. Anything that is not a command is a question. */
export type Command =
  | { kind: 'help' }
  | { kind: 'issuers' }
  | { kind: 'summary'; issuer: string | null }
  | { kind: 'question'; text: string };

const HELP = new Set(['帮助', 'help', '/help', '?', '？']);
const DEPARTMENTS = new Set(['部门', 'issuers', '/issuers', '部门列表']);
const SUMMARY = /^(?:总结|摘要|\/summary|summary)(?:\s+|$)(.*)$/isu;

/** Parses a text message (the AI bot's group `@bot` prefix is stripped by the caller). */
export function parseCommand(raw: string): Command {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (HELP.has(lower)) return { kind: 'help' };
  if (DEPARTMENTS.has(lower)) return { kind: 'issuers' };
  const summary = SUMMARY.exec(text);
  if (summary) {
    const issuer = (summary[1] ?? '').trim();
    return { kind: 'summary', issuer: issuer || null };
  }
  return { kind: 'question', text };
}

/** Runs a non-question command and returns the reply as markdown. */
export async function runCommand(
  engine: PolicyEngine,
  command: Exclude<Command, { kind: 'question' }>,
  requestId: string,
): Promise<string> {
  switch (command.kind) {
    case 'help':
      return helpText();
    case 'issuers':
      return issuersText(engine.issuers());
    case 'summary':
      try {
        return renderSummaryMarkdown(await engine.summary(command.issuer, { language: 'zh', requestId }));
      } catch (error) {
        // A typo in the issuer name is the user's to fix: say which names exist.
        if (error instanceof UnknownIssuerError) {
          return `没有找到部门“${command.issuer}”。可查询的部门：${error.known.join('、')}`;
        }
        throw error;
      }
  }
}
