/** A sentence and its offsets; `text === source.slice(start - baseOffset, end - baseOffset)`. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

/** Characters that end a sentence in Chinese or Latin text ("." is handled separately: decimals, abbreviations). */
const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', '…', '．']);
/** Closing quotes/brackets that belong to the sentence they follow: 他说：“好。” */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '》', '"', "'"]);

const isSpace = (c: string | undefined): boolean =>
  c !== undefined &&
  (c === ' ' || c === '\t' || c === '\u3000' || c === '\u00a0' || c === '\f' || c === '\v');
const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';

/**
 * Splits text into sentences, Chinese-aware: after 。！？；… (runs like "？！" stay together), and after a closing
 * quote or bracket that follows one of them; for Latin text after ! ? and after "." when whitespace or the end
 * follows (so "2.6亿" and "e.g.x" do not split). A newline always ends a sentence. Leading and trailing
 * whitespace is never part of a sentence. Linear time.
 * @param baseOffset added to every offset, so spans can point into a larger text (e.g. a paragraph's start).
 */
export function splitSentences(text: string, baseOffset = 0): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  const n = text.length;
  let start = -1;
  const push = (end: number) => {
    let e = end;
    while (e > start && (isSpace(text[e - 1]) || isNewline(text[e - 1]))) e--;
    if (e > start) out.push({ text: text.slice(start, e), start: start + baseOffset, end: e + baseOffset });
    start = -1;
  };
  for (let i = 0; i < n; i++) {
    const c = text[i] as string;
    if (isNewline(c)) {
      if (start >= 0) push(i);
      continue;
    }
    if (start < 0) {
      if (isSpace(c)) continue;
      start = i;
    }
    const terminal = TERMINATORS.has(c);
    if (!terminal && c !== '.') continue;
    let j = i + 1;
    while (j < n && (TERMINATORS.has(text[j] as string) || text[j] === '.')) j++;
    while (j < n && CLOSERS.has(text[j] as string)) j++;
    // A Latin period only ends a sentence before whitespace or the end; "3.5" and "U.S." mid-token do not.
    if (
      !terminal &&
      !TERMINATORS.has(text[j - 1] as string) &&
      j < n &&
      !isSpace(text[j]) &&
      !isNewline(text[j])
    ) {
      i = j - 1;
      continue;
    }
    push(j);
    i = j - 1;
  }
  if (start >= 0) push(n);
  return out;
}
