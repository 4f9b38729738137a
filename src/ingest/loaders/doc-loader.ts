import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { LoadError } from '../load-error.js';
import type { Loader, SourceDocument } from '../types.js';
import { BlockText } from './block-text.js';
import { sha256Hex } from './decode.js';
import { docxLoader } from './docx-loader.js';
import { isEncryptedOffice } from './xml-tree.js';

/**
 * Old Word files (.doc, Word 97–2003) and .wps files in that format — which is what WPS Office writes —
 * through `word-extractor` (pure JavaScript, reads the OLE compound file and the piece table). The format
 * has styles but the library gives text only: paragraphs, and table rows as tab-separated cells (which
 * become " | " rows). A .doc or .wps that is really a DOCX is read as one; Kingsoft WPS 2000 and
 * Microsoft Works files (other binary formats) are named as unsupported.
 */

const require = createRequire(import.meta.url);

interface WordDocument {
  getBody(options?: { filterUnicode?: boolean }): string;
  getTextboxes(options?: {
    includeHeadersAndFooters?: boolean;
    includeBody?: boolean;
    filterUnicode?: boolean;
  }): string;
}
type WordExtractorClass = new () => { extract(source: Buffer): Promise<WordDocument> };

const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;
/** The main stream of a Word binary document; Works and other OLE formats have none. */
const WORD_STREAM = Buffer.from('WordDocument', 'utf16le');

// biome-ignore lint/suspicious/noControlCharactersInRegex: garbage from a failed decode is control characters
const GARBAGE = /[\u0000-\u0008\u000e-\u001f\ufffd]/g;

export const docLoader: Loader = {
  extensions: ['.doc', '.wps', '.dot'],
  async load(input): Promise<SourceDocument> {
    const { id, path, bytes } = input;
    const ext = extname(path).toLowerCase();
    if (isZip(bytes)) return { ...(await docxLoader.load(input)), format: 'docx' };
    if (!isOle(bytes)) {
      throw new LoadError(
        'unsupported-format',
        `${ext} file in an older or other format than Word 97–2003 (e.g. Kingsoft WPS 2000): save it as .docx`,
      );
    }
    if (isEncryptedOffice(bytes)) throw new LoadError('password-protected', `password-protected ${ext} file`);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!buffer.includes(WORD_STREAM)) {
      throw new LoadError(
        'unsupported-format',
        `${ext} file is not a Word document (e.g. Microsoft Works): save it as .docx`,
      );
    }
    const WordExtractor = require('word-extractor') as WordExtractorClass;
    let document: WordDocument;
    try {
      document = await new WordExtractor().extract(buffer);
    } catch (error) {
      throw new LoadError('corrupt', `corrupt ${ext} file: ${(error as Error).message}`, { cause: error });
    }
    // filterUnicode would turn “ ” ‘ ’ — into ASCII; Chinese text keeps its punctuation.
    const body = document.getBody({ filterUnicode: false });
    const boxes = document.getTextboxes({
      includeHeadersAndFooters: false,
      includeBody: true,
      filterUnicode: false,
    });
    const text = `${body}\n${boxes}`;
    if ((text.match(GARBAGE)?.length ?? 0) > 0.05 * text.length) {
      throw new LoadError('corrupt', `${ext} file whose text cannot be decoded (encrypted or damaged)`);
    }
    const out = new BlockText();
    for (const line of text.split('\n')) {
      if (line.includes('\t')) {
        const cells = line.replace(/\t$/, '').split('\t');
        out.add(cells.map((c) => c.trim()).join(' | '), 'table-row');
      } else out.add(line, 'paragraph');
    }
    return {
      id,
      path,
      format: 'doc',
      text: out.toString(),
      contentHash: sha256Hex(bytes),
      blocks: out.blocks,
    };
  },
};
