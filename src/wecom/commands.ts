import type { ChatCommand } from '../commands/parse-command.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { UnknownIssuerError } from '../errors/index.js';
import { helpText, issuersText, renderSummaryMarkdown } from './render.js';

/** Runs a non-question command and returns the reply as markdown. */
export async function runCommand(
  engine: PolicyEngine,
  command: Exclude<ChatCommand, { kind: 'question' }>,
  requestId: string,
): Promise<string> {
  switch (command.kind) {
    case 'help':
      return helpText(engine.exampleQuestions('zh'));
    case 'issuers':
      return issuersText(engine.issuers());
    case 'summary':
      try {
        return renderSummaryMarkdown(await engine.summary(command.target, { language: 'zh', requestId }));
      } catch (error) {
        // A typo in the issuer name is the user's to fix: say which names exist.
        if (error instanceof UnknownIssuerError) {
          return `没有找到发文机关或文件“${command.target}”。可查询的发文机关：${error.known.join('、')}；文件可用文号或标题查询。`;
        }
        throw error;
      }
  }
}
