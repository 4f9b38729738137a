import { LoadError } from '../load-error.js';
import { addStated, statedField } from '../stated-labels.js';
import type { Loader, SourceDocument, StatedMetadata } from '../types.js';
import { BlockText } from './block-text.js';
import { sha256Hex } from './decode.js';
import { withStated } from './source-document.js';
import {
  allText,
  attr,
  entryText,
  findFirst,
  isEncryptedOffice,
  kids,
  localName,
  openZip,
  parseXml,
  type XNode,
} from './xml-tree.js';

/**
 * DOCX (WordprocessingML) read from its XML with fflate + fast-xml-parser: paragraphs in order, headings
 * from their styles (Heading 1…6, Title, or an outline level), list numbering as Word shows it ("一、",
 * "（一）", "1."), tables as rows of " | "-joined cells, text boxes (a 红头 is often one), tracked insertions
 * in and deletions out. The core properties' title is stated (origin `properties`); a labelled table
 * (标题/文号/发文机关 …) is stated too (origin `page`).
 */

interface Style {
  name: string;
  basedOn?: string;
  outline?: number;
}

/**
 * styles.xml → styles by id. Read with patterns, not the XML parser: Word writes hundreds of latent-style
 * entries (python-docx's template is 350 KB) and only each style's name, basedOn and outline level matter.
 */
function readStyles(xml: string | null): Map<string, Style> {
  const styles = new Map<string, Style>();
  if (!xml) return styles;
  const val = (body: string, name: string) =>
    new RegExp(`<\\w+:${name}\\b[^>]*?\\w+:val="([^"]*)"`).exec(body)?.[1];
  for (const m of xml.matchAll(/<\w+:style\b([^>]*)>([\s\S]*?)<\/\w+:style>/g)) {
    const id = /\w+:styleId="([^"]*)"/.exec(m[1] ?? '')?.[1];
    if (!id) continue;
    const body = m[2] ?? '';
    const style: Style = { name: val(body, 'name') ?? '' };
    const basedOn = val(body, 'basedOn');
    if (basedOn) style.basedOn = basedOn;
    const outline = val(body, 'outlineLvl');
    if (outline !== undefined) style.outline = Number(outline);
    styles.set(id, style);
  }
  return styles;
}

/** Heading level of a paragraph style (following `basedOn`), or 0. */
function headingLevel(styles: Map<string, Style>, id: string | undefined): number {
  for (let depth = 0, cur = id; cur && depth < 10; depth++) {
    const style = styles.get(cur);
    if (!style) return 0;
    const m = /^heading\s*(\d)$/i.exec(style.name);
    if (m) return Math.min(6, Number(m[1]));
    if (/^title$/i.test(style.name)) return 1;
    if (style.outline !== undefined && style.outline >= 0 && style.outline < 9)
      return Math.min(6, style.outline + 1);
    cur = style.basedOn;
  }
  return 0;
}

interface Level {
  start: number;
  format: string;
  text: string;
}

/** numbering.xml: numId → its levels (from the abstract numbering it points to). */
function readNumbering(xml: string | null): Map<string, Level[]> {
  const byNum = new Map<string, Level[]>();
  if (!xml) return byNum;
  const root = kids(findFirst(parseXml(xml), 'numbering') ?? {});
  const abstract = new Map<string, Level[]>();
  for (const node of root) {
    if (localName(node) !== 'abstractNum') continue;
    const levels: Level[] = [];
    for (const lvl of kids(node)) {
      if (localName(lvl) !== 'lvl') continue;
      const level: Level = { start: 1, format: 'decimal', text: '' };
      for (const p of kids(lvl)) {
        const n = localName(p);
        if (n === 'start') level.start = Number(attr(p, 'val') ?? 1);
        else if (n === 'numFmt') level.format = attr(p, 'val') ?? 'decimal';
        else if (n === 'lvlText') level.text = attr(p, 'val') ?? '';
      }
      levels[Number(attr(lvl, 'ilvl') ?? levels.length)] = level;
    }
    abstract.set(attr(node, 'abstractNumId') ?? '', levels);
  }
  for (const node of root) {
    if (localName(node) !== 'num') continue;
    const ref = kids(node).find((c) => localName(c) === 'abstractNumId');
    const levels = abstract.get(attr(ref ?? {}, 'val') ?? '');
    if (levels) byNum.set(attr(node, 'numId') ?? '', levels);
  }
  return byNum;
}

const DIGITS = '零一二三四五六七八九';
const STEMS = '甲乙丙丁戊己庚辛壬癸';

function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] as string;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    const tail =
      rest === 0
        ? ''
        : rest < 10
          ? `零${DIGITS[rest]}`
          : rest < 20
            ? `一${chineseNumber(rest)}`
            : chineseNumber(rest);
    return `${DIGITS[Math.floor(n / 100)]}百${tail}`;
  }
  return String(n);
}

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  for (const [value, letters] of table)
    while (n >= value) {
      out += letters;
      n -= value;
    }
  return out;
}

/** A counter in a Word number format (ST_NumberFormat); unknown formats fall back to decimal. */
function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'chineseLegalSimplified':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return chineseNumber(n);
    case 'ideographTraditional':
      return STEMS[(n - 1) % 10] as string;
    case 'lowerLetter':
      return String.fromCharCode(97 + ((n - 1) % 26));
    case 'upperLetter':
      return String.fromCharCode(65 + ((n - 1) % 26));
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalZero':
      return String(n).padStart(2, '0');
    default:
      return String(n);
  }
}

/** Word's list counters while reading the body in order. */
class Counters {
  private readonly counts = new Map<string, number[]>();
  constructor(private readonly numbering: Map<string, Level[]>) {}

  /** The label Word shows before a paragraph of list `numId` at level `ilvl` ("一、", "（二）", "3."). */
  label(numId: string, ilvl: number): string {
    const levels = this.numbering.get(numId);
    const level = levels?.[ilvl];
    if (!levels || !level || level.format === 'bullet' || level.format === 'none') return '';
    const counts = this.counts.get(numId) ?? [];
    counts[ilvl] = counts[ilvl] === undefined ? level.start : (counts[ilvl] as number) + 1;
    counts.length = ilvl + 1; // deeper levels restart
    this.counts.set(numId, counts);
    return level.text.replace(/%(\d)/g, (_m, d: string) => {
      const i = Number(d) - 1;
      return formatNumber(counts[i] ?? levels[i]?.start ?? 1, levels[i]?.format ?? 'decimal');
    });
  }
}

interface Context {
  styles: Map<string, Style>;
  counters: Counters;
  out: BlockText;
  stated: StatedMetadata;
}

/** Text of a paragraph's runs (and nested text boxes, emitted as paragraphs of their own afterwards). */
function runText(nodes: readonly XNode[], boxes: XNode[][]): string {
  let text = '';
  for (const node of nodes) {
    const name = localName(node);
    switch (name) {
      case 't':
        text += allText(node);
        break;
      case 'tab':
      case 'ptab':
        text += '\t';
        break;
      case 'br':
      case 'cr':
        // Page and column breaks are layout; a text-wrapping break starts a new visual line.
        if (!attr(node, 'type') || attr(node, 'type') === 'textWrapping') text += '\n';
        break;
      case 'noBreakHyphen':
        text += '-';
        break;
      case 'del':
      case 'delText':
      case 'instrText':
      case 'pPr':
      case 'rPr':
      case 'Fallback':
        break;
      case 'txbxContent':
        boxes.push(kids(node));
        break;
      default:
        text += runText(kids(node), boxes);
    }
  }
  return text;
}

function paragraph(node: XNode, ctx: Context): void {
  const props = kids(node).find((c) => localName(c) === 'pPr');
  const propKids = props ? kids(props) : [];
  const styleId = attr(propKids.find((c) => localName(c) === 'pStyle') ?? {}, 'val');
  let level = headingLevel(ctx.styles, styleId);
  const outline = propKids.find((c) => localName(c) === 'outlineLvl');
  if (!level && outline) {
    const n = Number(attr(outline, 'val'));
    if (n >= 0 && n < 9) level = Math.min(6, n + 1);
  }
  let label = '';
  const numPr = propKids.find((c) => localName(c) === 'numPr');
  if (numPr) {
    const numId = attr(kids(numPr).find((c) => localName(c) === 'numId') ?? {}, 'val');
    const ilvl = Number(attr(kids(numPr).find((c) => localName(c) === 'ilvl') ?? {}, 'val') ?? 0);
    if (numId && numId !== '0') label = ctx.counters.label(numId, ilvl);
  }
  const boxes: XNode[][] = [];
  const text = label + runText(kids(node), boxes);
  const lines = text.split('\n');
  for (const line of lines) {
    const clean = line.replace(/\t+/g, ' ');
    if (level) ctx.out.add(clean, 'heading', { level });
    else ctx.out.add(clean, lines.length > 1 ? 'line' : 'paragraph');
  }
  for (const box of boxes) body(box, ctx);
}

/** Text of one table cell: its paragraphs joined by spaces (nested tables flattened). */
function cellText(cell: XNode, ctx: Context): string {
  const inner = new BlockText();
  body(kids(cell), { ...ctx, out: inner });
  return inner.toString().replace(/\n/g, ' ');
}

function table(node: XNode, ctx: Context): void {
  for (const row of kids(node)) {
    if (localName(row) !== 'tr') continue;
    const cells = kids(row)
      .filter((c) => localName(c) === 'tc')
      .map((c) => cellText(c, ctx).trim());
    for (let i = 0; i + 1 < cells.length; i++) {
      const label = cells[i] as string;
      if (label.length <= 12 && statedField(label) && !statedField(cells[i + 1] as string)) {
        addStated(ctx.stated, label, cells[i + 1] as string);
        i++;
      }
    }
    if (cells.some(Boolean)) ctx.out.add(cells.join(' | '), 'table-row');
  }
}

function body(nodes: readonly XNode[], ctx: Context): void {
  for (const node of nodes) {
    const name = localName(node);
    if (name === 'p') paragraph(node, ctx);
    else if (name === 'tbl') table(node, ctx);
    else if (name === 'sdt' || name === 'sdtContent' || name === 'ins' || name === 'customXml')
      body(kids(node), ctx);
  }
}

/** docProps/core.xml's dc:title, when it is a title and not the producer's placeholder. */
function coreTitle(xml: string | null): string | null {
  if (!xml) return null;
  const title = allText(findFirst(parseXml(xml), 'title') ?? {}).trim();
  return title && !/^(microsoft word|wps|untitled|无标题|文档\d*$)/i.test(title) ? title : null;
}

/** The parts read (lower-case paths). */
const DOCX_PARTS = new Set([
  'word/document.xml',
  'word/styles.xml',
  'word/numbering.xml',
  'docprops/core.xml',
]);

export const docxLoader: Loader = {
  extensions: ['.docx', '.docm', '.dotx'],
  load({ id, path, bytes }): SourceDocument {
    if (isEncryptedOffice(bytes)) throw new LoadError('password-protected', 'password-protected DOCX');
    const zip = openZip(bytes, 'DOCX', (name) => DOCX_PARTS.has(name));
    const document = entryText(zip, 'word/document.xml');
    if (!document) throw new LoadError('corrupt', 'corrupt DOCX: no word/document.xml');
    const out = new BlockText();
    const stated: StatedMetadata = {};
    const ctx: Context = {
      styles: readStyles(entryText(zip, 'word/styles.xml')),
      counters: new Counters(readNumbering(entryText(zip, 'word/numbering.xml'))),
      out,
      stated,
    };
    let tree: XNode[];
    try {
      tree = parseXml(document);
    } catch (error) {
      throw new LoadError('corrupt', 'corrupt DOCX: word/document.xml is not XML', { cause: error });
    }
    body(kids(findFirst(tree, 'body') ?? {}), ctx);
    const doc: SourceDocument = {
      id,
      path,
      format: 'docx',
      text: out.toString(),
      contentHash: sha256Hex(bytes),
      blocks: out.blocks,
    };
    const fromPage = Object.keys(stated).length > 0;
    const title = coreTitle(entryText(zip, 'docProps/core.xml'));
    if (title) addStated(stated, '标题', title);
    return withStated(doc, stated, fromPage ? 'page' : 'properties');
  },
};
