/**
 * Clause splitting for answer composition: the answer layer also needs clause-level units (for long
 * enumerations such as the 2021 review paragraphs), which the chunker does not. Sentences come from the
 * node-parser's splitter, the same one the chunks were cut with. Offsets are string indices relative to
 * the input plus `baseOffset`, so `text.slice(start - baseOffset, end - baseOffset)` is the verbatim unit.
 */
import type { SentenceSpan } from '../node-parser/index.js';

export { splitSentences } from '../node-parser/index.js';
export type TextSpan = SentenceSpan;

/** Clause separators inside a long sentence. */
const CLAUSE_END = /[，：,:]+/gu;

function spans(text: string, baseOffset: number, boundary: RegExp): TextSpan[] {
  const out: TextSpan[] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    // Trim whitespace so units never start/end with blanks, keeping offsets verbatim.
    let s = a;
    let e = b;
    while (s < e && /\s/u.test(text[s] ?? '')) s++;
    while (e > s && /\s/u.test(text[e - 1] ?? '')) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: baseOffset + s, end: baseOffset + e });
  };
  boundary.lastIndex = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    push(from, end);
    from = end;
    if (m[0].length === 0) boundary.lastIndex++;
  }
  push(from, text.length);
  return out;
}

/**
 * Splits one sentence into clauses at commas and colons (separator kept with the clause).
 * Enumeration marks (、) do not split: their items are fragments without a verb.
 */
export function splitClauses(sentence: string, baseOffset = 0): TextSpan[] {
  return spans(sentence, baseOffset, CLAUSE_END);
}

/** The lines of `text`, each trimmed (blank lines left out), offsets as for `splitClauses`. */
export function splitLines(text: string, baseOffset = 0): TextSpan[] {
  return spans(text, baseOffset, /\n/gu);
}

/** Removes trailing clause/sentence punctuation, for quoting a unit inside composed text. */
export function stripTrailingPunctuation(text: string): string {
  return text.replace(/[，、：；。！？,:;.!?\s]+$/u, '');
}
