/**
 * Domain types shared by every stage of the answer pipeline
 * (ingest → chunk → embed → index → retrieve → compose) and by the front ends.
 * Nothing here knows about Slack, WeCom or HTTP.
 *
 * Offsets are JavaScript string indices (UTF-16 code units) into a document's cleaned text,
 * so `cleanedText.slice(start, end)` is always the verbatim passage.
 */

export type Language = 'zh' | 'en';

/** A ministry department named in a byline, e.g. full "工业和信息化部科技司", short "科技司". */
export interface Department {
  short: string;
  full: string;
}

export type ParagraphKind = 'column-title' | 'editors-note' | 'article-title' | 'byline' | 'body';

export interface Paragraph {
  index: number;
  kind: ParagraphKind;
  start: number;
  end: number;
  /** Index into `StructuredDocument.articles`, null before the first article. */
  articleIndex: number | null;
  /** The section lead sentence this paragraph belongs to, if any. */
  section: string | null;
}

export interface Section {
  lead: string;
  /** Offsets of the lead sentence itself. */
  start: number;
  end: number;
}

export interface Article {
  index: number;
  title: string;
  department: Department | null;
  start: number;
  end: number;
  sections: Section[];
}

/** A document after cleaning and structure detection. */
export interface StructuredDocument {
  /** Stable id derived from the file name, e.g. "miit-2022-work-plans". */
  id: string;
  sourcePath: string;
  /** Column title, or the first heading, or the file name. */
  title: string;
  editorsNote: string | null;
  cleanedText: string;
  /** sha256 of the raw bytes. */
  contentHash: string;
  paragraphs: Paragraph[];
  articles: Article[];
}

/** The unit that is embedded, indexed, retrieved and cited. */
export interface Chunk {
  /** `${docId}#${ordinal}` — stable for a given corpus and chunker settings. */
  id: string;
  /** Position in the index (0..n-1); labels in the vector and keyword indexes. */
  ordinal: number;
  docId: string;
  docTitle: string;
  articleTitle: string;
  department: string | null;
  departmentFull: string | null;
  section: string | null;
  paragraphIndex: number;
  start: number;
  end: number;
  /** Verbatim `cleanedText.slice(start, end)`. */
  text: string;
}

export interface RetrievalFilter {
  /** Short or full department name (already resolved by the caller or fuzzy-matched by the engine). */
  department?: string;
  docId?: string;
}

export interface RetrievalQuery extends RetrievalFilter {
  text: string;
  k?: number;
  language?: Language;
}

export interface ScoredPassage {
  chunk: Chunk;
  /** Fused score (convex combination of normalised BM25 and cosine, see retriever/fusion.ts), higher is better. */
  score: number;
  /** Cosine similarity from the dense index, null when dense retrieval is off or missed this chunk. */
  dense: number | null;
  /** BM25 score from the keyword index (higher is better), null when it missed this chunk. */
  keyword: number | null;
  denseRank: number | null;
  keywordRank: number | null;
  /** Query terms found in this chunk. */
  matchedTerms: string[];
}

export interface RetrievalResult {
  query: string;
  language: Language;
  /** Terms actually searched (segmented, and translated for English questions). */
  terms: string[];
  passages: ScoredPassage[];
  /** Fraction of the (weighted) query terms found in the top passage; one of the "is this covered" signals. */
  coverage: number;
  mode: 'hybrid' | 'keyword-only';
  timings: { totalMs: number; denseMs: number; keywordMs: number };
}

/** One earlier turn of a conversation, oldest first. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** What a front end hands to the engine. */
export interface Question {
  text: string;
  /** Correlates logs across the front end and the pipeline. */
  requestId: string;
  department?: string;
  history?: Turn[];
  language?: Language;
  /**
   * Aborted when the answer is no longer wanted (the client went away, the chat platform gave up); the engine
   * then cancels its language-model calls. The engine adds its own request budget on top.
   */
  signal?: AbortSignal;
  /** Epoch ms by which every language-model call for this question must be over; set by the engine. */
  deadline?: number;
}

export interface Citation {
  n: number;
  passageId: string;
  doc: string;
  docTitle: string;
  title: string;
  department: string | null;
  departmentFull: string | null;
  section: string | null;
  /** Verbatim text from the passage that supports the claim. */
  quote: string;
  /** The whole passage text, so a front end can show the quote in context. */
  passage: string;
  /** Offsets of `quote` in the document's cleaned text: `cleanedText.slice(start, end) === quote`. */
  start: number;
  end: number;
}

export type AnswerMode = 'extractive' | 'llm';

export interface Answer {
  id: string;
  requestId: string;
  question: string;
  /** The standalone query actually used (after follow-up rewriting). */
  query: string;
  language: Language;
  text: string;
  citations: Citation[];
  mode: AnswerMode;
  refused: boolean;
  /** Set when the answer was degraded, e.g. "The language model was unavailable; this is an extractive answer." */
  notice: string | null;
  /** When refused: nearest topics or departments to try. */
  suggestions: string[];
  timings: { retrieveMs: number; composeMs: number; totalMs: number };
}

export type AnswerEvent = { type: 'delta'; text: string } | { type: 'final'; answer: Answer };

export interface SummaryBullet {
  text: string;
  citations: number[];
}

export interface SummarySection {
  heading: string;
  bullets: SummaryBullet[];
}

export interface DepartmentSummary {
  department: Department;
  articleTitle: string;
  sections: SummarySection[];
}

export interface Summary {
  /** null for the all-departments summary. */
  department: Department | null;
  language: Language;
  mode: AnswerMode;
  departments: DepartmentSummary[];
  citations: Citation[];
  /** Rendered plain text with [n] markers. */
  text: string;
}

export interface DepartmentInfo extends Department {
  docId: string;
  articleTitle: string;
  chunkCount: number;
  sections: string[];
}

export interface EngineStatus {
  indexLoaded: boolean;
  chunkCount: number;
  documentCount: number;
  embedder: { mode: 'dense' | 'keyword-only'; model: string | null; reason: string | null };
  llm: { configured: boolean; model: string | null; circuit: LlmCircuitStatus | null };
  corpusFingerprint: string | null;
  /** Corpus files or folders that could not be read at start-up; answers come from the existing index. */
  corpusProblems: CorpusProblem[];
}

/** The language-model circuit breaker: `open` means answers are extractive until `openUntil`. */
export interface LlmCircuitStatus {
  state: 'closed' | 'open' | 'half-open';
  consecutiveFailures: number;
  /** ISO time the cool-down ends, while open. */
  openUntil: string | null;
}

export interface CorpusProblem {
  /** Relative to the corpus folder (or the folder itself). */
  path: string;
  message: string;
}
