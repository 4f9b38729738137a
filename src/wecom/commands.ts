import type { ChatCommand } from '../commands/parse-command.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { InputError, UnknownIssuerError } from '../errors/index.js';
import { helpText, issuersText, renderComparisonMarkdown, renderSummaryMarkdown } from './render.js';

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
    case 'compare':
      try {
        return renderComparisonMarkdown(
          await engine.compare({ before: command.before, after: command.after, language: 'zh', requestId }),
        );
      } catch (error) {
        // A side that names nothing is the user's to fix: say so in their words.
        if (error instanceof InputError) return `无法比较：${error.message}`;
        throw error;
      }
  }
}
