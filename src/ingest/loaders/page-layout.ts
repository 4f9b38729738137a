import type { BlockText } from './block-text.js';

/**
 * Paged formats (PDF text layers, OFD, OCR) give positioned pieces of text, not paragraphs. This module turns
 * them into paragraphs the same way for all three: pieces on one baseline form a line; running headers,
 * footers and page numbers are dropped; a line continues the paragraph above it unless the layout says a
 * new one starts (first-line indent, a short line before it, a wider gap, another font size, a centred line).
 * A paragraph that runs over a page break is rejoined. Coordinates: y grows downwards, any unit.
 */

/** A piece of text on one baseline: a PDF text item, an OFD TextCode, an OCR word. */
export interface TextRun {
  text: string;
  x: number;
  /** Baseline (or line centre; the same for all runs of a document). */
  y: number;
  width: number;
  /** Font size or line height. */
  size: number;
}

/** One visual line of a page. */
export interface PositionedLine extends TextRun {}

export interface PositionedPage {
  /** 1-based page number. */
  page: number;
  width: number;
  height: number;
  lines: PositionedLine[];
}

const WS = /^\s*$/;

/** Groups runs into lines by baseline (tolerance: 40 % of the font size), left to right within a line. */
export function runsToLines(runs: readonly TextRun[]): PositionedLine[] {
  const sorted = runs.filter((r) => !WS.test(r.text)).sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: TextRun[][] = [];
  for (const run of sorted) {
    const group = groups[groups.length - 1];
    const head = group?.[0];
    if (group && head && Math.abs(run.y - head.y) <= 0.4 * Math.max(head.size, run.size)) group.push(run);
    else groups.push([run]);
  }
  return groups.map((group) => {
    group.sort((a, b) => a.x - b.x);
    let text = '';
    let end = Number.NEGATIVE_INFINITY;
    for (const run of group) {
      // A gap of more than half a character between runs is a visible space (table columns, letter spacing).
      if (text && run.x - end > 0.5 * run.size && !/\s$/.test(text)) text += ' ';
      text += run.text;
      end = Math.max(end, run.x + run.width);
    }
    const first = group[0] as TextRun;
    const x = first.x;
    const size = median(group.map((r) => r.size));
    return { text: text.replace(/\s+/g, ' ').trim(), x, y: first.y, width: end - x, size };
  });
}

/** Page numbers as printed in margins: "3", "— 3 —", "- 3 -", "第3页", "第 3 页 共 10 页", "3/10", "Page 3 of 10". */
const PAGE_NUMBER = [
  /^[-—–‒―_~·\s]*\d{1,4}[-—–‒―_~·\s]*$/u,
  /^(共\s*\d+\s*页\s*[,，]?\s*)?第\s*[\d一二三四五六七八九十百]+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$/u,
  /^\d{1,4}\s*\/\s*\d{1,4}$/u,
  /^page\s*\d+(\s*(of|\/)\s*\d+)?$/iu,
];

export const isPageNumber = (text: string): boolean => PAGE_NUMBER.some((re) => re.test(text.trim()));

/** Share of the page height at the top and at the bottom where headers, footers and page numbers sit. */
const MARGIN_ZONE = 0.12;
/** Lines at each end of a page examined as header/footer candidates. */
const EDGE_LINES = 2;

type Zone = 'top' | 'bottom';

function edgeZone(page: PositionedPage, index: number): Zone | null {
  const line = page.lines[index] as PositionedLine;
  if (index < EDGE_LINES && line.y < page.height * MARGIN_ZONE) return 'top';
  if (index >= page.lines.length - EDGE_LINES && line.y > page.height * (1 - MARGIN_ZONE)) return 'bottom';
  return null;
}

/** "2019/1/17 国务院… 第 3 页" and "… 第 4 页" are the same running line. */
const runningKey = (text: string): string => text.replace(/\d+/g, '#').replace(/\s+/g, '');

/**
 * Drops page numbers and running headers/footers: margin lines whose text (digits aside) recurs in the
 * same margin on at least half the pages (and on two or more).
 */
export function dropRunningLines(pages: readonly PositionedPage[]): PositionedPage[] {
  const seen = new Map<string, Set<number>>();
  for (const page of pages) {
    page.lines.forEach((line, i) => {
      const zone = edgeZone(page, i);
      if (!zone) return;
      const key = `${zone}:${runningKey(line.text)}`;
      const set = seen.get(key) ?? new Set<number>();
      set.add(page.page);
      seen.set(key, set);
    });
  }
  const minPages = Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((page) => ({
    ...page,
    lines: page.lines.filter((line, i) => {
      const zone = edgeZone(page, i);
      if (!zone) return true;
      if (isPageNumber(line.text)) return false;
      return (seen.get(`${zone}:${runningKey(line.text)}`)?.size ?? 0) < minPages;
    }),
  }));
}

const COMMON_WIDTH = 1000;

function toCommonScale(page: PositionedPage): PositionedPage {
  const k = page.width > 0 ? COMMON_WIDTH / page.width : 1;
  return {
    page: page.page,
    width: page.width * k,
    height: page.height * k,
    lines: page.lines
      .map((l) => ({ ...l, x: l.x * k, y: l.y * k, width: l.width * k, size: l.size * k }))
      .sort((a, b) => a.y - b.y || a.x - b.x),
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))] as number;
}

interface Column {
  left: number;
  right: number;
  /** Usual distance between the baselines of two lines of one paragraph. */
  gap: number;
}

/** Lines needed to trust the right margin they show; with fewer, margins are taken as symmetric. */
const MIN_BODY_LINES = 5;

/** Text column of a set of lines: margins from the longer lines, line pitch from consecutive lines. */
function columnOf(lines: readonly PositionedLine[], pageWidth: number): Column | null {
  const body = lines.filter((l) => l.text.length >= 8);
  const basis = body.length >= 3 ? body : lines;
  if (basis.length === 0) return null;
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as PositionedLine;
    const b = lines[i] as PositionedLine;
    const d = b.y - a.y;
    if (d > 0 && d < 3 * Math.max(a.size, b.size)) gaps.push(d);
  }
  const left = percentile(
    basis.map((l) => l.x),
    0.1,
  );
  let right = percentile(
    basis.map((l) => l.x + l.width),
    0.9,
  );
  // A few short lines do not show where the column ends (a one-line page would look "full").
  if (body.length < MIN_BODY_LINES) right = Math.max(right, pageWidth - left);
  return { left, right, gap: gaps.length > 0 ? median(gaps) : 0 };
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Joins two lines of one paragraph: a space only between two Latin words or numbers. */
function joinLines(a: string, b: string): string {
  const last = a[a.length - 1] ?? '';
  const first = b[0] ?? '';
  if (CJK.test(last) || CJK.test(first)) return a + b;
  return /[A-Za-z0-9,.;:)]/.test(last) && /[A-Za-z0-9(]/.test(first) ? `${a} ${b}` : a + b;
}

/**
 * Lays out pages as paragraphs and adds them to `out` (kind `paragraph`, with the page each one starts on).
 */
export function addParagraphs(pages: readonly PositionedPage[], out: BlockText): void {
  // Pages measured in points (text layers) and in pixels (OCR) are compared on one scale: page width 1000.
  const cleaned = dropRunningLines(pages.map(toCommonScale));
  const docColumn = columnOf(
    cleaned.flatMap((p) => p.lines),
    COMMON_WIDTH,
  );
  let text = '';
  let startPage = 0;
  let prev: { line: PositionedLine; column: Column; page: number } | null = null;
  const flush = () => {
    out.add(text, 'paragraph', { page: startPage });
    text = '';
  };
  for (const page of cleaned) {
    const own = columnOf(page.lines, page.width);
    const column =
      own && page.lines.filter((l) => l.text.length >= 8).length >= MIN_BODY_LINES ? own : (docColumn ?? own);
    if (!column) continue;
    for (const line of page.lines) {
      if (prev && !startsParagraph(prev.line, prev.column, line, column, prev.page === page.page)) {
        text = joinLines(text, line.text);
      } else {
        if (text) flush();
        text = line.text;
        startPage = page.page;
      }
      prev = { line, column, page: page.page };
    }
  }
  if (text) flush();
}

function isCentred(line: PositionedLine, c: Column): boolean {
  const leftSpace = line.x - c.left;
  const rightSpace = c.right - (line.x + line.width);
  return (
    leftSpace > 2 * line.size &&
    rightSpace > 2 * line.size &&
    Math.abs(leftSpace - rightSpace) < 2 * line.size
  );
}

/** Whether `cur` starts a new paragraph after `prev` (see the module comment for the rules). */
function startsParagraph(
  prev: PositionedLine,
  prevColumn: Column,
  cur: PositionedLine,
  column: Column,
  samePage: boolean,
): boolean {
  const size = Math.max(prev.size, cur.size);
  if (Math.abs(prev.size - cur.size) > 0.2 * size) return true;
  if (isCentred(cur, column) || isCentred(prev, prevColumn)) return true;
  if (samePage) {
    const pitch = column.gap > 0 ? column.gap : 1.5 * size;
    if (cur.y - prev.y > 1.5 * pitch || cur.y < prev.y) return true;
  }
  if (cur.x - column.left > 0.8 * cur.size) return true;
  return prevColumn.right - (prev.x + prev.width) > 1.5 * prev.size;
}
