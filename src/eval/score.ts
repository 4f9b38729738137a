/**
 * Scoring of one answer against what an evaluation set expects. Pure functions over `Answer` and the
 * engine's passage lookup, so they are tested on hand-made inputs; the hit rule is `containsEvidence`.
 */
import { citedNumbers, claimText } from '../answer/verify-citations.js';
import type { PassageContext } from '../engine/PolicyEngine.js';
import { findRegions } from '../ingest/metadata/regions.js';
import { splitSentences } from '../node-parser/index.js';
import type { Answer, Citation } from '../types.js';
import { containsEvidence } from './match.js';

export type PassageLookup = (id: string) => PassageContext | null;

/** The answer's text without its `[n]` markers (a marker between two clauses must not break a match). */
export const answerBody = (answer: Pick<Answer, 'text'>): string => claimText(answer.text);

/** Whether an answer (its text or one of its citation quotes) holds the evidence; a refusal never does. */
export function answerContains(
  answer: Pick<Answer, 'text' | 'citations' | 'refused'>,
  evidence: string,
): boolean {
  if (answer.refused) return false;
  return (
    containsEvidence(answerBody(answer), evidence) ||
    answer.citations.some((c) => containsEvidence(c.quote, evidence))
  );
}

/** Citations whose quote is empty or not verbatim in the passage they name (or name no passage). */
export function phantomCitations(citations: readonly Citation[], passage: PassageLookup): Citation[] {
  return citations.filter((c) => {
    if (!c.quote.trim()) return true;
    const found = passage(c.passageId);
    return !found?.context.includes(c.quote);
  });
}

export interface CitedSentence {
  /** The sentence without its markers. */
  text: string;
  /** Quotes of the citations it names (empty for an uncited sentence). */
  quotes: string[];
}

/** Every sentence of the answer, markers removed, with the quotes of the citations it names. */
function sentencesWithQuotes(answer: Pick<Answer, 'text' | 'citations'>): CitedSentence[] {
  const byNumber = new Map(answer.citations.map((c) => [c.n, c.quote]));
  return splitSentences(answer.text).map((s) => ({
    text: claimText(s.text).trim(),
    quotes: citedNumbers(s.text)
      .map((n) => byNumber.get(n))
      .filter((q): q is string => q !== undefined),
  }));
}

/** Sentences of the answer that cite at least one of its citations, with the quotes they cite. */
export function citedSentences(answer: Pick<Answer, 'text' | 'citations'>): CitedSentence[] {
  return sentencesWithQuotes(answer).filter((s) => s.quotes.length > 0);
}

export interface ListScore {
  /** Items whose evidence appears in the answer text or its quotes. */
  found: number[];
  citedSentences: number;
  /** Cited sentences that hold some item's evidence (in the sentence or the quotes it cites). */
  holdingSentences: number;
}

/** Item recall and item precision counts of a list answer. */
export function scoreListAnswer(
  answer: Pick<Answer, 'text' | 'citations' | 'refused'>,
  evidence: readonly string[],
): ListScore {
  if (answer.refused) return { found: [], citedSentences: 0, holdingSentences: 0 };
  const found = evidence.flatMap((e, i) => (answerContains(answer, e) ? [i] : []));
  const sentences = citedSentences(answer);
  const holding = sentences.filter((s) =>
    evidence.some((e) => containsEvidence(s.text, e) || s.quotes.some((q) => containsEvidence(q, e))),
  );
  return { found, citedSentences: sentences.length, holdingSentences: holding.length };
}

/** Heading numbering: 第二章, 第三条, 一、, （一）, 1. */
const HEADING_NUMBER =
  /^(第[一二三四五六七八九十百千零〇\d]+[章节条编篇部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])/u;
const FILE_NAME = /^\S+\.(txt|md|html?|pdf|docx?|xlsx?|ofd|wps|zip|rar)$/iu;
/** Punctuation that ends or divides a sentence of content; headings have none. */
const SENTENCE_END = /[。；;！？!?]/u;
/** A lead-in before a colon ("根据《…》的工作安排：") is not content; as in the answer layer, ≤ 40 characters. */
const LEAD_IN_MAX = 40;
const HEADING_MAX = 40;

const normalise = (s: string): string => s.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

function afterLeadIn(sentence: string): string {
  const colon = Math.max(sentence.lastIndexOf('：'), sentence.lastIndexOf(':'));
  if (colon < 0) return sentence;
  const rest = sentence.slice(colon + 1).trim();
  return rest && [...sentence.slice(0, colon)].length <= LEAD_IN_MAX ? rest : sentence;
}

/**
 * An answer that is only a heading, a title or a file name: every sentence (after a short lead-in) is a
 * known title (`titles`, and the cited documents' titles, article titles, sections and ids), a file name,
 * or a short line that opens with heading numbering, with no sentence punctuation in it nor at the end of
 * the quotes it cites (the answer layer may close a quoted heading with "。"; the verbatim quote shows
 * whether the document did).
 */
export function isHeadingOnly(
  answer: Pick<Answer, 'text' | 'citations' | 'refused'>,
  titles: readonly string[] = [],
): boolean {
  if (answer.refused) return false;
  const known = new Set(
    [
      ...titles,
      ...answer.citations.flatMap((c) => [c.docTitle, c.partTitle, ...c.sectionPath, c.section ?? '', c.doc]),
    ]
      .map(normalise)
      .filter(Boolean),
  );
  const headingLike = ({ text, quotes }: CitedSentence): boolean => {
    const bare = afterLeadIn(text).replace(/[\s。．.；;，,]+$/u, '');
    return (
      known.has(normalise(bare)) ||
      FILE_NAME.test(bare) ||
      (HEADING_NUMBER.test(bare) &&
        !SENTENCE_END.test(bare) &&
        [...bare].length <= HEADING_MAX &&
        !quotes.some((q) => SENTENCE_END.test(q.trim().slice(-1))))
    );
  };
  const sentences = sentencesWithQuotes(answer).filter((s) => normalise(afterLeadIn(s.text)));
  return sentences.length > 0 && sentences.every(headingLike);
}

/** Province-level divisions in English (the Chinese names come from the region table). */
const REGIONS_EN =
  /\b(Beijing|Tianjin|Shanghai|Chongqing|Hebei|Shanxi|Liaoning|Jilin|Heilongjiang|Jiangsu|Zhejiang|Anhui|Fujian|Jiangxi|Shandong|Henan|Hubei|Hunan|Guangdong|Hainan|Sichuan|Guizhou|Yunnan|Shaanxi|Gansu|Qinghai|Taiwan|Inner Mongolia|Guangxi|Tibet|Xizang|Ningxia|Xinjiang|Hong Kong|Macao|Macau)\b/iu;
/** 《title》 or a 文号 such as 国发〔2019〕3号, [2019]3号, 国令第706号. */
const DOCUMENT_NAME = /《[^》]+》|[〔[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号|第\s*\d+\s*号/u;

/**
 * Whether a question names a province-level region or a document (a 《title》 or a 文号). Questions that
 * do should have their document's passage first: the report row "names doc/region".
 */
export function namesPlaceOrDocument(question: string): boolean {
  return (
    DOCUMENT_NAME.test(question) ||
    REGIONS_EN.test(question) ||
    findRegions(question).some((m) => m.region.level === 'province')
  );
}
