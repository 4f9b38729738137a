import { createHash } from 'node:crypto';
import { LoadError } from '../load-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Chinese government files are still often saved as GBK; gb18030 is its superset.
const gb18030 = new TextDecoder('gb18030');

/** Share of replacement or control characters above which decoded "text" is really binary data. */
const MAX_GARBAGE_SHARE = 0.01;
// C0 controls other than tab, LF, CR, form feed; DEL; C1 controls; U+FFFD. Matching control characters
// is the point here, so the lint rule against them does not apply.
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting binary data means matching controls
const GARBAGE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufffd]/gu;

/**
 * Decodes UTF-8 (falling back to GB18030), strips a BOM and normalises line endings to LF.
 * @throws LoadError('binary') when the bytes are not text in either encoding (NUL bytes, or more than 1 % of
 *         the characters are controls or undecodable), so a renamed binary is never indexed as junk.
 */
export function decodeText(bytes: Uint8Array): string {
  // UTF-16 with a BOM (Windows Notepad's "Unicode").
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return finish(new TextDecoder('utf-16le').decode(bytes.subarray(2)));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return finish(new TextDecoder('utf-16be').decode(bytes.subarray(2)));
  if (bytes.includes(0)) throw new LoadError('binary', 'binary data (NUL bytes), not text');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = gb18030.decode(bytes);
  }
  const garbage = text.match(GARBAGE)?.length ?? 0;
  if (text.length > 0 && garbage / text.length > MAX_GARBAGE_SHARE) {
    throw new LoadError('binary', 'binary data, not text in UTF-8 or GB18030');
  }
  return finish(text);
}

function finish(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.replace(/\r\n?/g, '\n');
}

/** Hex sha256 of the raw bytes: the document's content hash (detects corpus changes). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
