/**
 * Domain types shared by every stage of the answer pipeline
 * (ingest → chunk → embed → index → retrieve → compose) and by the front ends.
 * Nothing here knows about Slack, WeCom or HTTP.
 *
 * Offsets are JavaScript string indices (UTF-16 code units) into a document's cleaned text,
 * so `cleanedText.slice(start, end)` is always the verbatim passage.
 */

export type Language = 'zh' | 'en';

/**
 * A body that issues documents: full name as the document gives it ("工业和信息化部科技司", "国务院办公厅"),
 * and the short name people use ("科技司"; the full name when there is no shorter one).
 */
export interface Issuer {
  short: string;
  full: string;
}

/** Where a document applies: the whole country, a province, a city or a county (GB/T 2260 code). */
export interface RegionRef {
  code: string;
  /** 全国, 浙江省, 台州市. */
  name: string;
  level: 'national' | 'province' | 'city' | 'county';
}

/** Metadata of one document. Unknown fields are null (never guessed from the file name). */
export interface DocumentMeta {
  /** Whole title, even when the page set it on several lines; the file name only when nothing else says. */
  title: string;
  /** 发文机关 (several for joint documents); for a column of bylined articles, the articles' issuers. */
  issuers: Issuer[];
  /** 文号 in canonical form (国办发〔2019〕3号, 国令第706号). */
  docNumber: string | null;
  /** 成文日期 (or the day a report was delivered), ISO 8601 (may be "2019-01" or "2019"). */
  date: string | null;
  /** 发布日期, ISO 8601. */
  publishedDate: string | null;
  region: RegionRef | null;
  /** 通知, 意见, 办法, 条例, 工作报告 … */
  kind: string | null;
  /** Bodies in the closing signature when they differ from the issuers (a 转发 notice signed by the drafter). */
  signers: string[];
  source: string | null;
  tags: string[];
  /** Where the fields came from: the document's own text, its page/properties, front matter or a sidecar file. */
  origin: Partial<Record<'title' | 'issuers' | 'docNumber' | 'date' | 'region', MetaOrigin>>;
  format: 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'doc' | 'ofd' | 'image';
  /** Set when pages were recognised by OCR. */
  ocr: { pages: number; meanConfidence: number; lowConfidencePages: number[] } | null;
}

export type MetaOrigin = 'text' | 'page' | 'front-matter' | 'properties' | 'sidecar';

export type ParagraphKind =
  | 'title'
  | 'part-title'
  | 'doc-number'
  | 'meta'
  | 'addressee'
  | 'editors-note'
  | 'byline'
  | 'heading'
  | 'body'
  | 'table'
  | 'signature'
  | 'note'
  | 'attachment';

/** A numbered paragraph's numbering ("第十条", "（一）", "1."), see ingest/structure/numbering.ts. */
export interface ParagraphNumbering {
  style: string;
  label: string;
  value: number;
  rank: number;
}

export interface Paragraph {
  index: number;
  kind: ParagraphKind;
  start: number;
  end: number;
  /** Index into `StructuredDocument.parts`. */
  part: number;
  /** Index into `StructuredDocument.sections` of the innermost section holding it, null before the first. */
  section: number | null;
  numbering: ParagraphNumbering | null;
  page: number | null;
}

/**
 * A part of a document: the document itself, an article of a column (title + byline), or an attachment
 * (附件, the rules a 印发 notice issues). Sections and chunks never cross parts.
 */
export interface DocumentPart {
  index: number;
  kind: 'main' | 'article' | 'attachment';
  title: string;
  /** The part's own issuer (an article's byline); null → the document's issuers. */
  issuer: Issuer | null;
  start: number;
  end: number;
}

/** A heading and what it spans: 第二章 …, 第十条, 一、…, （一）…, a markdown or DOCX heading, a section lead. */
export interface Section {
  index: number;
  part: number;
  /** Heading text as written, without trailing 。 ("第二章 专利代理机构和专利代理师", "第十条", "（一）准入条件"). */
  heading: string;
  /** The numbering label, null for unnumbered headings and leads. */
  label: string | null;
  rank: number;
  parent: number | null;
  /** Offsets of the heading text itself (for a lead: the lead sentence). */
  headingStart: number;
  headingEnd: number;
  /** Span of the section including everything under it. */
  start: number;
  end: number;
}

/** A document after cleaning, metadata detection and structure. */
export interface StructuredDocument {
  /** Unique in the corpus: relative path without extension (with it when two files share a stem). */
  id: string;
  sourcePath: string;
  meta: DocumentMeta;
  cleanedText: string;
  /** sha256 of the raw bytes. */
  contentHash: string;
  paragraphs: Paragraph[];
  parts: DocumentPart[];
  sections: Section[];
}

/** The unit that is embedded, indexed, retrieved and cited. */
export interface Chunk {
  /** `${docId}#${ordinal within the document}` — stable for a given corpus and chunker settings. */
  id: string;
  /** Position in the index (0..n-1); labels in the vector and keyword indexes. */
  ordinal: number;
  docId: string;
  docTitle: string;
  /** Title of the part the chunk sits in (an article, an attachment); the document's title otherwise. */
  partTitle: string;
  /** Short name of the part's or document's issuer(s) ("科技司", "国务院办公厅"), null when unknown. */
  issuer: string | null;
  /** Full name(s), joined with "、" for joint documents. */
  issuerFull: string | null;
  docNumber: string | null;
  /** ISO date of the document. */
  date: string | null;
  /** Region name ("全国", "浙江省"). */
  region: string | null;
  /** Headings from the part's top down to the chunk's section. */
  sectionPath: readonly string[];
  /** The innermost heading (the last of `sectionPath`), null before the first heading. */
  section: string | null;
  paragraphIndex: number;
  start: number;
  end: number;
  /** Verbatim `cleanedText.slice(start, end)`. */
  text: string;
}

export interface RetrievalFilter {
  /** Short or full issuer name (already resolved by the caller or fuzzy-matched by the engine). */
  issuer?: string;
  docId?: string;
  /** Only these documents (a question's scope: the documents it names). */
  docIds?: readonly string[];
}

/** What the library lacks that a question names: a region, a 文号, a year (see retriever/query-scope.ts). */
export type MissingScope =
  | { kind: 'region'; named: string[]; covered: string[] }
  | { kind: 'doc-number'; named: string[] }
  | { kind: 'year'; named: number[]; covered: number[] };

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
  /** What the question names that the library lacks (a region, 文号 or year; see retriever/query-scope.ts). */
  missing?: MissingScope | null;
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
  /** Restrict the answer to one issuer (short, full or fuzzy name). */
  issuer?: string;
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
  /** The part's title (an article, an attachment), the document's title otherwise. */
  partTitle: string;
  issuer: string | null;
  issuerFull: string | null;
  docNumber: string | null;
  date: string | null;
  region: string | null;
  sectionPath: readonly string[];
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
  /** When refused: nearest topics or issuers to try. */
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

/** The summary of one issuer's part of the library (for the seed: one issuer's article). */
export interface IssuerSummary {
  issuer: Issuer;
  partTitle: string;
  sections: SummarySection[];
}

export interface Summary {
  /** null for the summary of all issuers. */
  issuer: Issuer | null;
  language: Language;
  mode: AnswerMode;
  issuers: IssuerSummary[];
  citations: Citation[];
  /** Rendered plain text with [n] markers. */
  text: string;
}

/** One issuer as the engine lists it: where its text is and what its sections are called. */
export interface IssuerInfo extends Issuer {
  docId: string;
  partTitle: string;
  chunkCount: number;
  sections: string[];
}

/** One document as `policybot documents` and `/api/documents` list it. */
export interface DocumentInfo {
  id: string;
  path: string;
  meta: DocumentMeta;
  chunkCount: number;
  /** Top-level section headings. */
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

/** What a key figure measures: money or a physical quantity, a share or rate, a count, or a date/deadline. */
export type FigureKind = 'amount' | 'percent' | 'count' | 'date';

/** A figure the document sets as a goal (target) or reports as achieved (result); unknown when it says neither. */
export type FigureStatus = 'target' | 'result' | 'unknown';

/**
 * One quantitative statement of a document (see src/figures/): "生产总值增长5.6%" (percent, result, 2025),
 * "于2019年4月底前完成" (date, target). Extracted at index time, stored in the index, cited like a passage.
 */
export interface Figure {
  /** `${docId}@${valueStart}`: stable for a given corpus. */
  id: string;
  docId: string;
  docTitle: string;
  partTitle: string;
  /** Short issuer name of the part or document, null when unknown. */
  issuer: string | null;
  region: string | null;
  sectionPath: readonly string[];
  kind: FigureKind;
  /** The figure as written: "5.6%", "6.66万亿元", "5%—5.5%", "2019年4月底前". */
  valueText: string;
  /** Numeric value in `unit`'s base (万/亿 multiplied out: "6.66万亿元" → 6.66e12 with unit "元"); null for dates. */
  value: number | null;
  /** Upper end of a range ("5%—5.5%" → 5.5), else null. */
  valueMax: number | null;
  /** Base unit ("%", "元", "个", "亿斤" → "斤", "个百分点", "年"), or "date". */
  unit: string;
  /** 以上, 左右, 超过, 不低于, 约 … as written, null when the figure is exact. */
  qualifier: string | null;
  /** Direction the text gives: 增长/提高 (up), 下降/降低 (down), null when it states a level. */
  change: 'up' | 'down' | null;
  /** What it measures, from the words around it ("生产总值", "城镇新增就业"). */
  subject: string;
  status: FigureStatus;
  /** The year the figure refers to (the sentence's, paragraph's, section's or document's year), null if none. */
  year: number | null;
  /** For dates: ISO year-month(-day) when the year is known ("2019-04"), else null. */
  date: string | null;
  /** Verbatim clause holding the figure: `cleanedText.slice(start, end) === quote`. */
  quote: string;
  start: number;
  end: number;
  /** Offsets of `valueText` in the document's cleaned text. */
  valueStart: number;
  valueEnd: number;
  /** The passage (chunk id) holding the figure, set by the engine so a front end can show it in context. */
  passageId?: string | null;
}

/** How `policybot figures`, `GET /api/figures` and `/policy figures` narrow the list. */
export interface FigureQuery {
  /** Document id, or words of its title. */
  doc?: string;
  /** Short, full or fuzzy issuer name. */
  issuer?: string;
  year?: number;
  kind?: FigureKind;
  status?: FigureStatus;
  /** Words that must occur in the subject, quote, section or title ("就业", "GDP" is not translated). */
  text?: string;
  /**
   * What a chat command names (`/policy figures 中小企业局`): an issuer when it resolves to one, else a document
   * (id, title words or 文号), else topic words as `text`.
   */
  target?: string;
  limit?: number;
}
