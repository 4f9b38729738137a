import type {
  Answer,
  AnswerEvent,
  Chunk,
  CompareRequest,
  Comparison,
  DocumentInfo,
  DocumentScope,
  EngineStatus,
  Figure,
  FigureQuery,
  Issuer,
  IssuerInfo,
  Language,
  Question,
  RetrievalQuery,
  RetrievalResult,
  Summary,
} from '../types.js';

export interface SummaryOptions {
  language?: Language;
  requestId?: string;
  /** Aborted when the summary is no longer wanted (see `Question.signal`). */
  signal?: AbortSignal;
  /** Epoch ms by which its language-model calls must be over (the asking request's budget). */
  deadline?: number;
  /**
   * What the name is: an issuer, a document (id, 文号, title or fragment), or — by default — whichever it
   * matches (an issuer's exact name, then a document, then an issuer's fuzzy name).
   */
  target?: 'issuer' | 'document' | 'auto';
  /** Only the issuers of these documents (the asking channel's document set). */
  scope?: DocumentScope;
}

export interface PassageContext {
  chunk: Chunk;
  /** The whole paragraph(s) the chunk sits in, so a quote can be highlighted in context. */
  context: string;
  /** Offset of `context` in the document's cleaned text. */
  contextStart: number;
}

/**
 * The single surface front ends (CLI, web, Slack, WeCom) use. It knows nothing about any of them:
 * they verify, acknowledge, parse into a `Question`, and render the `Answer`.
 */
export interface PolicyEngine {
  status(): EngineStatus;
  retrieve(query: RetrievalQuery): Promise<RetrievalResult>;
  /** A cited answer; never throws for "not covered" (that is `refused: true`). */
  answer(question: Question): Promise<Answer>;
  /** Text deltas as they are produced, then exactly one `final` event with the verified answer. */
  answerStream(question: Question): AsyncIterable<AnswerEvent>;
  /**
   * Structured summary of one issuer (short, full or fuzzy name: "中小企业", "SME") or one document (id,
   * 文号, title: "国办发〔2019〕3号", "专利代理条例"; `Summary.document` is then set), or of all issuers when
   * `name` is null. Throws `UnknownIssuerError` (`UnknownTargetError`) or `UnknownDocumentError` for no match.
   * Within `options.scope` when set (the asking channel's document set).
   */
  summary(name: string | null, options?: SummaryOptions): Promise<Summary>;
  /** Example questions from the loaded library (its documents' titles and section headings). */
  exampleQuestions(language: Language): string[];
  /**
   * What changed between two documents, one issuer's documents of two years, or (with `after` empty) a
   * plan's past-year results and its plan-year targets. Throws `InputError` when a side names nothing.
   */
  compare(request: CompareRequest): Promise<Comparison>;
  issuers(): IssuerInfo[];
  /** The library's documents with their metadata, in corpus order. */
  documents(): DocumentInfo[];
  /** Up to three verbatim lines saying what a document is about (new-document digests); [] for an unknown id. */
  documentSummary(docId: string): string[];
  /** Fuzzy issuer lookup ("SME", "中小企业", "Science and Technology"); null when nothing matches. */
  resolveIssuer(name: string): Issuer | null;
  passage(id: string): PassageContext | null;
  /**
   * Key figures of the library (amounts, percentages, counts, deadlines; see src/figures/), filtered by the
   * query, in corpus order. Throws `UnknownIssuerError` when `query.issuer` names no issuer.
   */
  figures(query?: FigureQuery): Figure[];
  /** The figures inside a passage (by id), e.g. for "how much / how many" answers; [] for an unknown id. */
  passageFigures(passageId: string): Figure[];
  close(): Promise<void>;
}
