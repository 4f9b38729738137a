/**
 * A few lines that say what one document is about, for new-document digests: the extractive issuer summaries of
 * its parts (results with figures first, then the section leads), and for a document with no issuer parts the
 * opening sentences of its body. Every line is verbatim from the document.
 */
import { splitSentences, stripTrailingPunctuation } from '../answer/sentences.js';
import type { Chunk, Language, StructuredDocument } from '../types.js';
import { extractiveIssuerSummary } from './extractive-summary.js';
import { issuerSummaryInputs } from './inputs.js';

/** Characters a digest line is cut to. */
const MAX_LINE_CHARS = 90;
const MIN_LINE_CHARS = 6;

function clip(text: string): string {
  const chars = [...text.replace(/\s+/gu, ' ').trim()];
  return chars.length <= MAX_LINE_CHARS ? chars.join('') : `${chars.slice(0, MAX_LINE_CHARS - 1).join('')}…`;
}

/** Up to `lines` summary lines of `doc` (fewer when it has less to say). */
export function documentSummaryLines(
  doc: StructuredDocument,
  chunks: readonly Chunk[],
  lines = 3,
  language: Language = 'zh',
): string[] {
  const out: string[] = [];
  const push = (text: string) => {
    const line = clip(stripTrailingPunctuation(text));
    if ([...line].length >= MIN_LINE_CHARS && !out.includes(line)) out.push(line);
  };
  const inputs = issuerSummaryInputs(
    [doc],
    chunks.filter((c) => c.docId === doc.id),
  );
  const summaries = inputs.map((input) => extractiveIssuerSummary(input, language));
  // Round-robin over the parts, so a column of several articles is not summarised by its first one alone.
  const bullets = summaries.map((s) => s.sections.flatMap((section) => section.bullets.map((b) => b.text)));
  for (let i = 0; out.length < lines && bullets.some((b) => i < b.length); i++) {
    for (const list of bullets) {
      const text = list[i];
      if (text !== undefined && out.length < lines) push(text);
    }
  }
  if (out.length < lines) {
    for (const p of doc.paragraphs) {
      if (out.length >= lines) break;
      if (p.kind !== 'body') continue;
      for (const s of splitSentences(doc.cleanedText.slice(p.start, p.end), p.start)) {
        if (out.length >= lines) break;
        push(s.text);
      }
    }
  }
  return out;
}
