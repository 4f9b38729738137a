import type {
  Answer,
  AnswerEvent,
  Chunk,
  DocumentInfo,
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
   * Structured summary of one issuer's plan (short, full or fuzzy name: "中小企业", "SME"),
   * or of all issuers when `issuer` is null. Throws `UnknownIssuerError` for no match.
   */
  summary(issuer: string | null, options?: SummaryOptions): Promise<Summary>;
  issuers(): IssuerInfo[];
  /** The library's documents with their metadata, in corpus order. */
  documents(): DocumentInfo[];
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
