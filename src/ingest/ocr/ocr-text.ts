import { unifyIdeographs } from '../loaders/cjk-ideographs.js';
import type { PositionedLine } from '../loaders/page-layout.js';
import type { OcrPage } from './ocr-pool.js';

const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
/** Tesseract separates every Chinese character, digit group and bracket by a space. */
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])[ \\t]+|[ \\t]+(?=[${CJK}])`, 'gu');
/** Marks a wide gap between two words (a table column, a tab stop): it stays a space whatever is around it. */
export const COLUMN_GAP = '\u2003';
/** Of the other spaces, only those between two Latin words or numbers are text ("Page 3", "AI, big data"). */
const KEEP_SPACE_BEFORE = /[A-Za-z0-9,.;:!?%)]/;
const KEEP_SPACE_AFTER = /[A-Za-z0-9(]/;
const HALF_TO_FULL: Record<string, string> = {
  ',': '，',
  ':': '：',
  ';': '；',
  '?': '？',
  '!': '！',
  '(': '（',
  ')': '）',
};
/** ASCII punctuation Tesseract reads in Chinese text, when a Chinese character touches it. */
const HALF_WIDTH_IN_CJK = new RegExp(`(?<=[${CJK}])[,:;?!()]|[,:;?!()](?=[${CJK}])`, 'gu');

/**
 * One recognised line as the text a person would type: no spaces between Chinese characters, Chinese
 * punctuation full-width, radicals as the ideographs they stand for. Spaces between Latin words stay.
 */
export function normaliseOcrLine(text: string): string {
  return unifyIdeographs(
    text
      .trim()
      .replace(/[ \t]*\u2003[ \t\u2003]*/g, COLUMN_GAP)
      .replace(SPACE_NEXT_TO_CJK, '')
      .replace(HALF_WIDTH_IN_CJK, (c) => HALF_TO_FULL[c] ?? c)
      .replace(/[ \t]+/g, (ws: string, offset: number, all: string) =>
        KEEP_SPACE_BEFORE.test(all[offset - 1] ?? '') && KEEP_SPACE_AFTER.test(all[offset + ws.length] ?? '')
          ? ' '
          : '',
      )
      .replaceAll(COLUMN_GAP, ' '),
  );
}

/** Tesseract's lines with their boxes (pixels, y downwards; y = the box's bottom, as a baseline). */
export function ocrLines(page: OcrPage): PositionedLine[] {
  const lines: PositionedLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const { y0: top, y1: bottom } = line.bbox;
        // Words further apart than the line is high are in different columns.
        let joined = '';
        let end = Number.NEGATIVE_INFINITY;
        for (const word of line.words) {
          if (joined) joined += word.bbox.x0 - end > bottom - top ? COLUMN_GAP : ' ';
          joined += word.text;
          end = word.bbox.x1;
        }
        const text = normaliseOcrLine(joined);
        if (!text) continue;
        const { x0, y0, x1, y1 } = line.bbox;
        lines.push({ text, x: x0, y: y1, width: x1 - x0, size: y1 - y0 });
      }
    }
  }
  return lines.sort((a, b) => a.y - b.y || a.x - b.x);
}
