/**
 * "原件得去哪儿下？", "正文以什么形式发布？", "Where is the full text?": a cover notice on a government site often holds no
 * text of its own, only the attachment its page links ("相关附件：…实施方案.pdf"). Asked for the original, the full
 * text or the attachment, the answer is that line of the best passage's document, quoted like any clause.
 */
import { ATTACHMENT_LINE, EMPTY_ATTACHMENT_LINE } from '../ingest/text-rules.js';
import type { Language, RetrievalResult } from '../types.js';
import { type ExtractiveResult, renderExtractive, type ScoredUnit } from './extractive.js';
import { splitLines } from './sentences.js';

/** The question asks where the document's own text is: its original, full text, body or attachment. */
const ASKS_FOR_ATTACHMENT =
  /原件|原文|全文|正文|附件|下载|去哪(?:儿|里)?(?:下|找|看)|\b(?:attachments?|attached|full text|original (?:document|text|file)|download\w*)\b/iu;
/** Passages looked at: the best few, all of the best one's document. */
const PASSAGES = 3;
/** Attachment lines quoted at most. */
const MAX_LINES = 4;

/**
 * The extractive answer quoting the attachment lines of the best passage's document among the first passages,
 * or null when the question does not ask for the document's text or no such line is there.
 */
export function attachmentAnswer(
  question: string,
  language: Language,
  retrieval: RetrievalResult,
): ExtractiveResult | null {
  if (!ASKS_FOR_ATTACHMENT.test(question)) return null;
  const docId = retrieval.passages[0]?.chunk.docId;
  const units: ScoredUnit[] = [];
  retrieval.passages.slice(0, PASSAGES).forEach((p, passageIndex) => {
    if (p.chunk.docId !== docId) return;
    for (const { start, end, text } of splitLines(p.chunk.text)) {
      if (units.length >= MAX_LINES || !ATTACHMENT_LINE.test(text) || EMPTY_ATTACHMENT_LINE.test(text))
        continue;
      units.push({
        passageIndex,
        chunk: p.chunk,
        start,
        end,
        text,
        score: 1,
        termCoverage: 0,
        matchedTerms: [],
      });
    }
  });
  if (units.length === 0) return null;
  const rendered = renderExtractive(units, language);
  return { ...rendered, candidates: units };
}
