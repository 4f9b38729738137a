/**
 * Splitting long replies under WeCom's byte limits (UTF-8 bytes, not characters: a Chinese character
 * is 3 bytes). Cuts fall after sentence ends or line breaks where possible, never inside a code point.
 */

/** message/send text content limit. */
export const TEXT_MAX_BYTES = 2048;
/** message/send and webhook markdown content limit. */
export const MARKDOWN_MAX_BYTES = 4096;
/** AI-bot stream content limit (the whole cumulative text). */
export const STREAM_MAX_BYTES = 20_480;

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Sentence-sized pieces that keep their terminator (。！？；!?; or a line break). */
function sentences(text: string): string[] {
  return (
    text.match(/[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n+|$)/gu)?.filter((s) => s.length > 0) ?? []
  );
}

/** Longest prefix of `text` (whole code points) that fits in `maxBytes`. */
function prefixWithin(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Splits `text` into parts of at most `maxBytes` UTF-8 bytes each, on sentence boundaries when possible.
 * Parts are trimmed of surrounding blank lines; empty input gives no parts.
 */
export function splitByBytes(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must allow at least one code point');
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    const trimmed = current.trim();
    if (trimmed) parts.push(trimmed);
    current = '';
  };
  for (let piece of sentences(text)) {
    if (utf8Length(current + piece) <= maxBytes) {
      current += piece;
      continue;
    }
    flush();
    // A single sentence longer than the limit: cut it at code-point boundaries.
    while (utf8Length(piece) > maxBytes) {
      const head = prefixWithin(piece, maxBytes);
      parts.push(head);
      piece = piece.slice(head.length);
    }
    current = piece;
  }
  flush();
  return parts;
}

/**
 * Cuts `text` to at most `maxBytes` bytes at the last sentence boundary that fits, appending `marker`
 * (whose bytes are counted). Returns `text` unchanged when it already fits.
 */
export function truncateToBytes(text: string, maxBytes: number, marker = '…'): string {
  if (utf8Length(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Length(marker);
  let kept = '';
  for (const piece of sentences(text)) {
    if (utf8Length(kept + piece) > budget) break;
    kept += piece;
  }
  if (!kept) kept = prefixWithin(text, budget);
  return kept + marker;
}
