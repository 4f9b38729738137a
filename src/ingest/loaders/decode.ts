import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Chinese government files are still often saved as GBK; gb18030 is its superset.
const gb18030 = new TextDecoder('gb18030');

/** Decodes UTF-8 (falling back to GB18030), strips a BOM and normalises line endings to LF. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = gb18030.decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}

/** Hex sha256 of the raw bytes: the document's content hash (detects corpus changes). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** "corpus/miit-2022-work-plans.txt" → "miit-2022-work-plans". */
export function idFromPath(path: string): string {
  return basename(path, extname(path));
}
