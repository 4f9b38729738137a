import { addStated, statedField } from '../stated-labels.js';
import type { Loader, SourceBlock, SourceDocument, StatedMetadata } from '../types.js';
import { decodeText, sha256Hex } from './decode.js';
import { withStated } from './source-document.js';

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;
const BLOCKQUOTE = /^ {0,3}>[ \t]?/;
const BULLET = /^[ \t]*[-*+][ \t]+/;
const ORDERED = /^[ \t]*\d{1,9}[.)][ \t]+/;
const TABLE_ROW = /^ {0,3}\|.*\|[ \t]*$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/;
/** A labelled metadata line of a front block: "**发布机构**：农业农村部", "来源：https://…". */
const LABELLED = /^([^：:]{1,12})[：:]\s*(.+)$/u;
/** Lines at the top of a file searched for a metadata block. */
const FRONT_BLOCK_LINES = 20;

/** Removes inline markdown (emphasis, code, links, images, html tags, escapes), keeping the visible text. */
export function stripInlineMarkdown(line: string): string {
  // Escaped characters are literal: hide them from the emphasis patterns, restore them at the end.
  return line
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_m, c: string) => `\uE000${c.charCodeAt(0)}\uE001`)
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/\uE000(\d+)\uE001/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

const isAsciiWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

interface OutLine {
  text: string;
  heading: number;
  /** False for list items: they start their own line instead of continuing the previous one. */
  joinable: boolean;
  tableRow?: boolean;
}

/** `key: value` lines of a YAML front matter block (flat keys and `[a, b]` lists; enough for metadata). */
function frontMatter(lines: readonly string[], stated: StatedMetadata): void {
  for (const line of lines) {
    const m = /^([A-Za-z_\p{Script=Han}]+)\s*:\s*(.*)$/u.exec(line);
    if (!m) continue;
    const value = (m[2] ?? '').replace(/^\[(.*)\]$/, '$1').replace(/^["']|["']$/g, '');
    addStated(stated, m[1] ?? '', value.replace(/["']\s*,\s*["']/g, '、').replace(/,\s*/g, '、'));
  }
}

/**
 * Markdown → plain text. Headings become their own lines (recorded in `headings`), soft-wrapped lines
 * of one block are unwrapped (markdown treats the newline as a space; between CJK characters as nothing),
 * blocks stay separated by a blank line.
 */
export function markdownToText(source: string): {
  text: string;
  blocks: SourceBlock[];
  stated: StatedMetadata;
} {
  const lines = source.split('\n');
  const out: OutLine[] = [];
  const stated: StatedMetadata = {};
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, n) => n > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) {
      frontMatter(lines.slice(1, close), stated);
      i = close + 1;
    }
  }
  let inFence = false;
  const blank = () => {
    if (out.length > 0 && out[out.length - 1]?.text !== '')
      out.push({ text: '', heading: 0, joinable: false });
  };
  for (; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (FENCE.test(line)) {
      inFence = !inFence;
      blank();
      continue;
    }
    if (inFence) {
      out.push({ text: line, heading: 0, joinable: false });
      continue;
    }
    const quoted = BLOCKQUOTE.test(line);
    while (BLOCKQUOTE.test(line)) line = line.replace(BLOCKQUOTE, '');
    if (quoted && i < FRONT_BLOCK_LINES) {
      // A copy's front block ("> **发布机构**：…", "> 来源：URL") is metadata, not text.
      const m = LABELLED.exec(stripInlineMarkdown(line.trim()));
      if (m && statedField(m[1] ?? '')) {
        addStated(stated, m[1] ?? '', m[2] ?? '');
        continue;
      }
    }
    const prev = out[out.length - 1];
    const setext = SETEXT_UNDERLINE.exec(line);
    if (setext && prev && prev.text !== '' && prev.heading === 0 && prev.joinable) {
      prev.heading = setext[1]?.startsWith('=') ? 1 : 2;
      blank();
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      blank();
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      blank();
      const text = stripInlineMarkdown((atx[2] ?? '').trim());
      if (text) out.push({ text, heading: atx[1]?.length ?? 1, joinable: false });
      blank();
      continue;
    }
    if (line.trim() === '') {
      blank();
      continue;
    }
    if (TABLE_DELIMITER.test(line) && prev?.tableRow) continue;
    if (TABLE_ROW.test(line)) {
      const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
      const row = cells
        .map((c) => stripInlineMarkdown(c.trim()))
        .filter(Boolean)
        .join(' | ');
      if (row) out.push({ text: row, heading: 0, joinable: false, tableRow: true });
      continue;
    }
    const listItem = BULLET.test(line) || ORDERED.test(line);
    const text = stripInlineMarkdown(line.replace(BULLET, '').trim());
    if (!listItem && prev && prev.text !== '' && prev.heading === 0 && prev.joinable) {
      // Soft wrap: same paragraph. A space only between two Latin words.
      const sep = isAsciiWordChar(prev.text[prev.text.length - 1]) && isAsciiWordChar(text[0]) ? ' ' : '';
      prev.text += sep + text;
      continue;
    }
    out.push({ text, heading: 0, joinable: true });
  }
  while (out.length > 0 && out[out.length - 1]?.text === '') out.pop();

  let text = '';
  const blocks: SourceBlock[] = [];
  for (const [n, line] of out.entries()) {
    if (n > 0) text += '\n';
    if (line.text) {
      // Paragraphs are 'line' blocks: copies of web pages keep their layout breaks, which the cleaner mends.
      const kind = line.heading > 0 ? 'heading' : line.tableRow ? 'table-row' : 'line';
      const block: SourceBlock = { start: text.length, end: text.length + line.text.length, kind };
      if (line.heading > 0) block.level = line.heading;
      blocks.push(block);
    }
    text += line.text;
  }
  return { text, blocks, stated };
}

/** Markdown: syntax stripped; headings, paragraphs and table rows kept as blocks; a front block as metadata. */
export const markdownLoader: Loader = {
  extensions: ['.md', '.markdown'],
  load({ id, path, bytes }): SourceDocument {
    const { text, blocks, stated } = markdownToText(decodeText(bytes));
    return withStated(
      { id, path, format: 'md', text, contentHash: sha256Hex(bytes), blocks },
      stated,
      'front-matter',
    );
  },
};
