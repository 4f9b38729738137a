import { type AnyNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { addStated, statedField } from '../stated-labels.js';
import type { Loader, SourceBlock, SourceDocument, StatedMetadata } from '../types.js';
import { BlockText } from './block-text.js';
import { decodeText, sha256Hex } from './decode.js';
import { isDropped, linkDensity, mainContent, type TextStats, textStats } from './html-content.js';
import { withStated } from './source-document.js';

/**
 * HTML (gov.cn pages, saved web pages) through htmlparser2: the metadata table above the article becomes
 * `stated`, the main content (html-content.ts) becomes blocks — p/div/li as paragraphs, h1–h6 as headings,
 * table rows as " | "-joined cells, <br>-separated lines as lines — and everything else (navigation,
 * scripts, forms, hidden elements, link lists, footers) is left out.
 */

/** Elements that end a line of text. */
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'caption',
  'figure',
  'figcaption',
  'center',
  'address',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

const HEADING = /^h([1-6])$/;

/** A list or box of links (related articles, "more" lists, share bars): at least this many, mostly links. */
const LINK_LIST_MIN_LINKS = 3;
const LINK_LIST_DENSITY = 0.5;

const EAST_ASIAN_WIDE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * CSS white-space collapsing: a run of whitespace is one space, except that a line break between two wide
 * (Chinese) characters disappears (CSS Text 3, segment break transformation). No-break spaces are content.
 */
function collapse(raw: string): string {
  return raw
    .replace(/[ \t\r\n\f]+/g, (ws, offset: number, all: string) => {
      if (!ws.includes('\n')) return ' ';
      const before = all[offset - 1] ?? '';
      const after = all[offset + ws.length] ?? '';
      return EAST_ASIAN_WIDE.test(before) && EAST_ASIAN_WIDE.test(after) ? '' : ' ';
    })
    .replace(/\u00a0/g, ' ');
}

class BlockWriter {
  private buffer = '';
  private brokenByBr = false;
  constructor(
    readonly out: BlockText,
    readonly stats: Map<AnyNode, TextStats>,
  ) {}

  text(data: string) {
    this.buffer += data;
  }

  /** Ends the current block; `br` marks it as one visual line of a paragraph the page broke by hand. */
  flush(kind: SourceBlock['kind'] = 'paragraph', level?: number, br = false) {
    const line = collapse(this.buffer);
    this.buffer = '';
    const k = kind === 'paragraph' && (br || this.brokenByBr) ? 'line' : kind;
    this.brokenByBr = br;
    this.out.add(line, k, level === undefined ? {} : { level });
  }

  walk(node: AnyNode) {
    if (isText(node)) {
      this.text(node.data);
      return;
    }
    if (!isTag(node) || isDropped(node)) return;
    const name = node.name;
    if (name === 'br') {
      this.flush('paragraph', undefined, true);
      return;
    }
    if (name === 'img') {
      // Alt text is not shown; a figure's caption is its own element.
      return;
    }
    if (isLinkList(node, this.stats)) return;
    if (name === 'tr' && isDataRow(node)) {
      this.flush();
      this.brokenByBr = false;
      const cells = cellsOf(node).map((cell) => {
        const inner = new BlockText();
        const writer = new BlockWriter(inner, this.stats);
        for (const child of cell.children) writer.walk(child);
        writer.flush();
        return inner.toString().replace(/\n/g, ' ');
      });
      if (cells.some((c) => c.trim())) this.out.add(cells.join(' | '), 'table-row');
      return;
    }
    const heading = HEADING.exec(name);
    const block = BLOCK.has(name) || name === 'tr' || name === 'td' || name === 'th';
    if (block) {
      this.flush();
      this.brokenByBr = false;
    }
    for (const child of node.children) this.walk(child);
    if (heading) this.flush('heading', Number(heading[1]));
    else if (block) {
      this.flush();
      this.brokenByBr = false;
    }
  }
}

function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
}

/** Cells of a layout table hold an article: nested tables, many paragraphs, or long text. */
const LAYOUT_CELL_BLOCKS = 4;
const LAYOUT_CELL_CHARS = 500;

/** A row of data cells, not a row of a layout table whose cells hold paragraphs or tables of their own. */
function isDataRow(tr: Element): boolean {
  const hasTable = (el: Element): boolean =>
    el.children.some((c) => isTag(c) && (c.name === 'table' || c.name === 'tr' || hasTable(c)));
  return cellsOf(tr).every(
    (cell) =>
      !hasTable(cell) &&
      cell.children.filter((c) => isTag(c) && BLOCK.has(c.name)).length < LAYOUT_CELL_BLOCKS &&
      textOf(cell).length < LAYOUT_CELL_CHARS,
  );
}

function isLinkList(el: Element, stats: Map<AnyNode, TextStats>): boolean {
  if (el.name === 'a' || el.name === 'p' || HEADING.test(el.name)) return false;
  const s = textStats(el, stats);
  return s.links >= LINK_LIST_MIN_LINKS && linkDensity(s) >= LINK_LIST_DENSITY;
}

/** Visible text of an element, collapsed (for labels and values of a metadata table). */
function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || isDropped(node)) return '';
  return node.children.map(textOf).join(node.name === 'br' ? ' ' : '');
}

/** A labelled value in one cell or line: "发文机关：国务院". */
const LABELLED = /^([^：:]{1,10})[：:]\s*(.+)$/u;

/**
 * Metadata the page states outside its main content: table rows of label and value cells (gov.cn's
 * 索引号/发文机关/成文日期/标题/发文字号/发布日期 table; provincial 名称/发布机构/文号), "label：value" cells or list
 * items, and the `<meta name="ArticleTitle|PubDate">` tags of gov.cn pages.
 */
function statedMetadata(root: Element, content: readonly Element[]): StatedMetadata {
  const stated: StatedMetadata = {};
  const inside = (el: Element) => {
    for (let p: Element | null = el; p; p = p.parent && isTag(p.parent) ? p.parent : null)
      if (content.includes(p)) return true;
    return false;
  };
  const visit = (el: Element) => {
    if (el.name === 'meta') {
      const name = (el.attribs.name ?? '').toLowerCase();
      const value = el.attribs.content ?? '';
      if (name === 'articletitle') addStated(stated, '标题', value);
      if (name === 'pubdate') addStated(stated, '发布日期', value);
      return;
    }
    if (el.name === 'script' || el.name === 'style') return;
    if (el !== root && inside(el)) return;
    if (el.name === 'tr' && isDataRow(el)) {
      const cells = cellsOf(el).map((c) => collapse(textOf(c)).trim());
      for (let i = 0; i + 1 < cells.length; i++) {
        const label = cells[i] as string;
        if (label.length <= 12 && statedField(label) && !statedField(cells[i + 1] as string)) {
          addStated(stated, label, cells[i + 1] as string);
          i++;
        } else {
          const m = LABELLED.exec(label);
          if (m && statedField(m[1] ?? '')) addStated(stated, m[1] ?? '', m[2] ?? '');
        }
      }
      return;
    }
    if (el.name === 'li' || el.name === 'td' || el.name === 'p') {
      const m = LABELLED.exec(collapse(textOf(el)).trim());
      if (m && (m[2] ?? '').length <= 100 && statedField(m[1] ?? ''))
        addStated(stated, m[1] ?? '', m[2] ?? '');
    }
    for (const child of el.children) if (isTag(child)) visit(child);
  };
  visit(root);
  return stated;
}

/** The charset a page declares in its first bytes (`<meta charset>` or http-equiv), lower-cased. */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
}

/** UTF-8 and GB18030 (GBK, GB2312) are sniffed; another declared charset (Big5…) is decoded as declared. */
export function decodeHtml(bytes: Uint8Array): string {
  const charset = declaredCharset(bytes);
  if (
    charset &&
    !/^(utf-?8|gb2312|gbk|gb18030|x-gbk|ascii|us-ascii|iso-8859-1|windows-1252)$/.test(charset)
  ) {
    try {
      return new TextDecoder(charset)
        .decode(bytes)
        .replace(/^\uFEFF/, '')
        .replace(/\r\n?/g, '\n');
    } catch {
      // An unknown label: fall back to sniffing.
    }
  }
  return decodeText(bytes);
}

/** HTML → text and blocks of the main content, plus the page's metadata table. */
export function htmlToBlocks(html: string): { text: string; blocks: SourceBlock[]; stated: StatedMetadata } {
  const dom = parseDocument(html, { decodeEntities: true });
  const root =
    dom.children.find((c): c is Element => isTag(c) && c.name === 'html') ?? (dom as unknown as Element);
  const body = (root.children ?? []).find((c): c is Element => isTag(c) && c.name === 'body') ?? root;
  const stats = new Map<AnyNode, TextStats>();
  const content = mainContent(body, stats);
  const out = new BlockText();
  const writer = new BlockWriter(out, stats);
  const title = headingBefore(body, content);
  if (title) writer.walk(title);
  for (const el of content) writer.walk(el);
  writer.flush();
  return { text: out.toString(), blocks: out.blocks, stated: statedMetadata(root, content) };
}

/**
 * The page's one <h1> when it sits before the content container and outside it: an article title that
 * the template puts above the text.
 */
function headingBefore(body: Element, content: readonly Element[]): Element | null {
  const h1s: Element[] = [];
  let seenContent = false;
  let before = false;
  const visit = (el: Element) => {
    if (content.includes(el)) {
      seenContent = true;
      return;
    }
    if (isDropped(el)) return;
    if (el.name === 'h1') {
      h1s.push(el);
      before = !seenContent;
    }
    for (const child of el.children) if (isTag(child)) visit(child);
  };
  visit(body);
  return h1s.length === 1 && before ? (h1s[0] as Element) : null;
}

export const htmlLoader: Loader = {
  extensions: ['.html', '.htm', '.xhtml', '.shtml'],
  load({ id, path, bytes }): SourceDocument {
    const { text, blocks, stated } = htmlToBlocks(decodeHtml(bytes));
    return withStated(
      { id, path, format: 'html', text, contentHash: sha256Hex(bytes), blocks },
      stated,
      'page',
    );
  },
};
