import type { SourceBlock } from '../types.js';

/**
 * Builds a `SourceDocument`'s text and blocks together: one line of text per block, so block offsets are
 * always right. Used by every loader that knows its blocks (HTML, PDF, DOCX, OFD, OCR).
 */
export class BlockText {
  private text = '';
  readonly blocks: SourceBlock[] = [];

  /** Appends one block; line breaks inside `line` are layout and become spaces. Empty lines are skipped. */
  add(line: string, kind: SourceBlock['kind'], extra: { level?: number; page?: number } = {}): void {
    const clean = line.replace(/[\r\n]+/g, ' ').trim();
    if (!clean) return;
    if (this.text.length > 0) this.text += '\n';
    const block: SourceBlock = { start: this.text.length, end: this.text.length + clean.length, kind };
    if (extra.level !== undefined) block.level = extra.level;
    if (extra.page !== undefined) block.page = extra.page;
    this.blocks.push(block);
    this.text += clean;
  }

  toString(): string {
    return this.text;
  }
}
