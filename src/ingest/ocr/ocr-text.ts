import { unifyIdeographs } from '../loaders/cjk-ideographs.js';
import type { PositionedLine } from '../loaders/page-layout.js';
import type { OcrPage } from './ocr-pool.js';

const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
/** Tesseract separates every Chinese character, digit group and bracket by a space. */
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'gu');
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
      .replace(SPACE_NEXT_TO_CJK, '')
      .replace(HALF_WIDTH_IN_CJK, (c) => HALF_TO_FULL[c] ?? c)
      .replace(/\s+/g, (ws: string, offset: number, all: string) =>
        KEEP_SPACE_BEFORE.test(all[offset - 1] ?? '') && KEEP_SPACE_AFTER.test(all[offset + ws.length] ?? '')
          ? ' '
          : '',
      ),
  );
}

/** Tesseract's lines with their boxes (pixels, y downwards; y = the box's bottom, as a baseline). */
export function ocrLines(page: OcrPage): PositionedLine[] {
  const lines: PositionedLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = normaliseOcrLine(line.words.map((w) => w.text).join(' '));
        if (!text) continue;
        const { x0, y0, x1, y1 } = line.bbox;
        lines.push({ text, x: x0, y: y1, width: x1 - x0, size: y1 - y0 });
      }
    }
  }
  return lines.sort((a, b) => a.y - b.y || a.x - b.x);
}
