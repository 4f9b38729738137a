import type { Summary } from '../../types.js';
import { type Block, divider, fallbackText, fitBlocks, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { sourcesBlocks } from './sources-blocks.js';

/** Block Kit for a issuer (or all-issuers) summary: headings, bullets with `[n]`, then Sources. */
export function renderSummary(summary: Summary): SlackMessage {
  const zh = summary.language === 'zh';
  const doc = summary.document;
  const title = doc
    ? `${zh ? '文件摘要' : 'Summary'}: 《${doc.title}》${doc.docNumber ? `（${doc.docNumber}）` : ''}`
    : summary.issuer
      ? `${zh ? '摘要' : 'Summary'}: ${summary.issuer.full}`
      : zh
        ? '摘要'
        : 'Summary';
  const lines: string[] = [`*${escapeMrkdwn(title)}*`];
  for (const dept of summary.issuers) {
    if (!summary.issuer) lines.push('', `*${escapeMrkdwn(dept.issuer.full)}*`);
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
