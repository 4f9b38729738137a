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
  | 'history'
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
  /** Only the documents this name means: an id, a 文号, a title or a fragment of one (`--doc`). */
  doc?: string;
  /** Only documents about this year: their date's, 文号's or title's (`--year`). */
  year?: number;
}

/** What the library lacks that a question names: a region, a 文号, a year (see retriever/query-scope.ts). */
export type MissingScope =
  | { kind: 'region'; named: string[]; covered: string[] }
  | { kind: 'doc-number'; named: string[] }
  | { kind: 'year'; named: number[]; covered: number[] }
  /** A grade or batch of a thing ("二级公立医院") the documents only cover under another ("三级公立医院"). */
  | { kind: 'variant'; named: string[]; covered: string[] };

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

/** One thing a question asks about: any of `terms` says it; any of `expansions` says it in other words. */
export interface QueryConcept {
  /** For the translations of an English word or phrase: that word or phrase. */
  english?: string;
  terms: string[];
  weight: number;
  expansions: string[];
}

export interface RetrievalResult {
  query: string;
  language: Language;
  /** Terms actually searched (segmented, and translated for English questions). */
  terms: string[];
  /**
   * The question's concepts (retriever/concepts.ts): alternative terms of one meaning (the translations of one
   * English word) and the expansions that stand in for them. Absent from results made before they existed.
   */
  concepts?: QueryConcept[];
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

/**
 * The documents a conversation may see (a channel's document set, see src/scopes): retrieval, overview answers
 * and summaries stay inside it. Absent = the whole library.
 */
export interface DocumentScope {
  /** The set's name, for logs and messages. */
  name: string;
  docIds: readonly string[];
}

/** What a front end hands to the engine. */
export interface Question {
  text: string;
  /** Correlates logs across the front end and the pipeline. */
  requestId: string;
  /** Restrict the answer to one issuer (short, full or fuzzy name). */
  issuer?: string;
  /** Restrict the answer to the documents this name means (id, 文号, title or fragment; `--doc`). */
  doc?: string;
  /** Restrict the answer to documents about this year (`--year`). */
  year?: number;
  history?: Turn[];
  language?: Language;
  /** Only these documents (the asking channel's document set). */
  scope?: DocumentScope;
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

/** A document as a summary names it. */
export interface DocumentRef {
  id: string;
  title: string;
  docNumber: string | null;
  date: string | null;
}

/**
 * The summary of one issuer's part of the library (for the seed: one issuer's article), of one document
 * (`document` set), or of an issuer's documents one line each.
 */
export interface IssuerSummary {
  issuer: Issuer;
  partTitle: string;
  sections: SummarySection[];
  /** Set when this is the summary of one document. */
  document?: DocumentRef;
}

export interface Summary {
  /** null for the summary of all issuers (and of a document, whose issuers are its own). */
  issuer: Issuer | null;
  /** Set when the summary is of one document (`/policy summary 国办发〔2019〕3号`). */
  document?: DocumentRef;
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
  /** Why the index cannot answer (its last retrieval failed); null or absent while it answers. */
  indexProblem?: string | null;
  /** The index snapshot answering, and the last newer one refused (damaged), when snapshots are watched. */
  snapshot?: SnapshotStatus;
}

export interface SnapshotStatus {
  /** The snapshot's name; null for the older single-folder layout. */
  current: string | null;
  /** ISO time it was loaded. */
  loadedAt: string;
  /** A newer snapshot that could not be loaded (the server kept `current`), with the one-line reason. */
  refused: { name: string; reason: string } | null;
  /**
   * The snapshot the pointer names, damaged when the server started and not rebuildable (corpus unreadable), with the
   * one-line reason: `current` is the newest older snapshot that passed the integrity check.
   */
  fallbackFrom: { name: string; reason: string } | null;
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

/** What one side of a comparison is: a whole document, or one year of a document (its results or targets). */
export interface CompareSideInfo {
  /** As the user named it, or as the engine resolved it ("中小企业局 2021"). */
  label: string;
  docId: string;
  docTitle: string;
  /** The parts compared (an issuer's article of a column); the document's title for a whole document. */
  partTitles: string[];
  /** Short issuer name(s), "、"-joined, null when unknown. */
  issuer: string | null;
  year: number | null;
  /** `results`: the review of an earlier year; `targets`: the plan year; `year`: one year's text otherwise. */
  role: 'document' | 'results' | 'targets' | 'year';
}

/** A number that moved between the two sides of an aligned item, in one unit. */
export interface ComparisonChange {
  /** Base unit (家, 元, %, 个百分点 …). */
  unit: string;
  /** As written on each side ("2930家", "3000家左右"). */
  before: string;
  after: string;
  beforeValue: number;
  afterValue: number;
  direction: 'up' | 'down' | 'same';
}

/**
 * One finding: an item only the later side has (`added`), only the earlier side has (`dropped`), or both
 * have — with numbers that moved (`changed`), a target the later side reports as a result (`fulfilled`), or
 * neither (`kept`). Each side is quoted verbatim with its citation.
 */
export interface ComparisonItem {
  kind: 'added' | 'dropped' | 'changed' | 'fulfilled' | 'kept';
  /** The topic terms the item is about (shared terms for aligned items). */
  topic: string[];
  before: Citation | null;
  after: Citation | null;
  changes: ComparisonChange[];
  /** Alignment score of an aligned pair (0..1), null for added/dropped. */
  similarity: number | null;
}

export interface Comparison {
  id: string;
  requestId: string;
  language: Language;
  /** `llm` when the text was written by the model and verified; the items are always extractive. */
  mode: AnswerMode;
  before: CompareSideInfo;
  after: CompareSideInfo;
  /** Changed and fulfilled first, then added, dropped and kept. */
  items: ComparisonItem[];
  counts: Record<ComparisonItem['kind'], number>;
  /** Rendered text with [n] markers into `citations`. */
  text: string;
  /** Every item's quotes (extractive mode, numbered in item order), or the verified model text's citations. */
  citations: Citation[];
  notice: string | null;
  timings: { totalMs: number };
}

/** What to compare: two targets, or one (its earlier year's results with its plan year's targets). */
export interface CompareRequest {
  /** A document id, title fragment, 文号, issuer, or any of these with a year ("中小企业局 2021"). */
  before: string;
  after?: string | null;
  requestId: string;
  language?: Language;
  signal?: AbortSignal;
  deadline?: number;
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
  /** Only these documents (the asking channel's document set). */
  scope?: DocumentScope;
  limit?: number;
}
