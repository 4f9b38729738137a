/**
 * Sentence and clause splitting for answer composition.
 *
 * Private to the answer layer: src/node-parser was not available when this was written, and the
 * answer layer needs clause-level units (for long enumerations such as the 2021 review paragraphs)
 * that a chunker does not. Offsets are string indices relative to the input plus `baseOffset`,
 * so `text.slice(start - baseOffset, end - baseOffset)` is always the verbatim unit.
 */

export interface TextSpan {
  text: string;
  start: number;
  end: number;
}

/** Sentence enders: Chinese full stops/question/exclamation marks, semicolons, and ASCII ones followed by space. */
const SENTENCE_END = /[。！？；!?]+[”’」』）)]*|\n+|\.(?=\s|$)/gu;
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

/** Splits text into sentences (ending punctuation kept with the sentence). */
export function splitSentences(text: string, baseOffset = 0): TextSpan[] {
  return spans(text, baseOffset, SENTENCE_END);
}

/**
 * Splits one sentence into clauses at commas and colons (separator kept with the clause).
 * Enumeration marks (、) do not split: their items are fragments without a verb.
 */
export function splitClauses(sentence: string, baseOffset = 0): TextSpan[] {
  return spans(sentence, baseOffset, CLAUSE_END);
}

/** Removes trailing clause/sentence punctuation, for quoting a unit inside composed text. */
export function stripTrailingPunctuation(text: string): string {
  return text.replace(/[，、：；。！？,:;.!?\s]+$/u, '');
}
