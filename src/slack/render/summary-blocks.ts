import type { Summary } from '../../types.js';
import { type Block, divider, fallbackText, fitBlocks, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { sourcesBlocks } from './sources-blocks.js';

/** Block Kit for a department (or all-departments) summary: headings, bullets with `[n]`, then Sources. */
export function renderSummary(summary: Summary): SlackMessage {
  const zh = summary.language === 'zh';
  const title = summary.department
    ? `${zh ? '工作要点摘要' : 'Summary'}: ${summary.department.full}`
    : zh
      ? '各部门工作要点摘要'
      : 'Summary of all departments';
  const lines: string[] = [`*${escapeMrkdwn(title)}*`];
  for (const dept of summary.departments) {
    if (!summary.department) lines.push('', `*${escapeMrkdwn(dept.department.full)}*`);
    for (const section of dept.sections) {
      lines.push(`_${escapeMrkdwn(section.heading)}_`);
      for (const bullet of section.bullets) {
        const refs = bullet.citations.map((n) => `[${n}]`).join('');
        lines.push(`• ${escapeMrkdwn(bullet.text)}${refs ? ` ${refs}` : ''}`);
      }
    }
  }
  const head: Block[] = sections(lines.join('\n'));
  const sources = sourcesBlocks(summary.citations);
  const tail: Block[] = sources.length > 0 ? [divider(), ...sources] : [];
  return { text: fallbackText(`${title}\n${summary.text}`), blocks: fitBlocks(head, tail) };
}
