import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { UnknownDepartmentError } from '../errors/index.js';
import { departmentsText, helpText, renderSummaryMarkdown } from './render.js';

/** What a WeCom text message asks for. Anything that is not a command is a question. */
export type Command =
  | { kind: 'help' }
  | { kind: 'departments' }
  | { kind: 'summary'; department: string | null }
  | { kind: 'question'; text: string };

const HELP = new Set(['帮助', 'help', '/help', '?', '？']);
const DEPARTMENTS = new Set(['部门', 'departments', '/departments', '部门列表']);
const SUMMARY = /^(?:总结|摘要|\/summary|summary)(?:\s+|$)(.*)$/isu;

/** Parses a text message (the AI bot's group `@bot` prefix is stripped by the caller). */
export function parseCommand(raw: string): Command {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (HELP.has(lower)) return { kind: 'help' };
  if (DEPARTMENTS.has(lower)) return { kind: 'departments' };
  const summary = SUMMARY.exec(text);
  if (summary) {
    const department = (summary[1] ?? '').trim();
    return { kind: 'summary', department: department || null };
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
    case 'departments':
      return departmentsText(engine.departments());
    case 'summary':
      try {
        return renderSummaryMarkdown(await engine.summary(command.department, { language: 'zh', requestId }));
      } catch (error) {
        // A typo in the department name is the user's to fix: say which names exist.
        if (error instanceof UnknownDepartmentError) {
          return `没有找到部门“${command.department}”。可查询的部门：${error.known.join('、')}`;
        }
        throw error;
      }
  }
}
