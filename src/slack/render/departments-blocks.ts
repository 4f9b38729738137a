import type { DepartmentInfo } from '../../types.js';
import { fallbackText, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The departments the corpus covers, with the command to summarise each. */
export function renderDepartments(departments: DepartmentInfo[], slashCommand: string): SlackMessage {
  if (departments.length === 0) {
    return { text: 'No departments are indexed yet.', blocks: sections('No departments are indexed yet.') };
  }
  const lines = departments.map(
    (d) => `• *${escapeMrkdwn(d.short)}* — ${escapeMrkdwn(d.full)} · ${escapeMrkdwn(d.articleTitle)}`,
  );
  const text = `*Departments covered* (try \`${slashCommand} summary ${escapeMrkdwn(departments[0]?.short ?? '')}\`)\n${lines.join('\n')}`;
  return { text: fallbackText(departments.map((d) => d.short).join(', ')), blocks: sections(text) };
}
