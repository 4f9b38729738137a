import type {
  Answer,
  AnswerEvent,
  Chunk,
  Department,
  DepartmentInfo,
  EngineStatus,
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
   * Structured summary of one department's plan (short, full or fuzzy name: "中小企业", "SME"),
   * or of all departments when `department` is null. Throws `UnknownDepartmentError` for no match.
   */
  summary(department: string | null, options?: SummaryOptions): Promise<Summary>;
  departments(): DepartmentInfo[];
  /** Fuzzy department lookup ("SME", "中小企业", "Science and Technology"); null when nothing matches. */
  resolveDepartment(name: string): Department | null;
  passage(id: string): PassageContext | null;
  close(): Promise<void>;
}
