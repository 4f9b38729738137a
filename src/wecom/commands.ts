import type { ChatCommand } from '../commands/parse-command.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { UnknownIssuerError } from '../errors/index.js';
import { figuresMarkdown, helpText, issuersText, renderSummaryMarkdown } from './render.js';

/** Runs a non-question command and returns the reply as markdown. */
export async function runCommand(
  engine: PolicyEngine,
  command: Exclude<ChatCommand, { kind: 'question' }>,
  requestId: string,
): Promise<string> {
  switch (command.kind) {
    case 'help':
      return helpText();
    case 'issuers':
      return issuersText(engine.issuers());
    case 'figures':
      return figuresMarkdown(engine.figures({ target: command.target ?? '' }), command.target);
    case 'summary':
      try {
        return renderSummaryMarkdown(await engine.summary(command.target, { language: 'zh', requestId }));
      } catch (error) {
        // A typo in the issuer name is the user's to fix: say which names exist.
        if (error instanceof UnknownIssuerError) {
          return `没有找到部门“${command.target}”。可查询的部门：${error.known.join('、')}`;
        }
        throw error;
      }
  }
}
