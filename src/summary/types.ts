import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import type {
  AnswerMode,
  Article,
  Chunk,
  Citation,
  Department,
  DepartmentSummary,
  Language,
  StructuredDocument,
} from '../types.js';

/** What one department's summary is built from: its article in the structured document, and its chunks. */
export interface DepartmentSummaryInput {
  department: Department;
  article: Article;
  doc: StructuredDocument;
  /** The department's chunks (the cited units), any order. */
  chunks: Chunk[];
}

export interface SummaryDeps {
  llm: LlmClient | null;
  logger: Logger;
  language: Language;
  requestId?: string;
  /** Cancels the summary's LLM calls; `deadline` (epoch ms) bounds them (see `CompletionRequest`). */
  signal?: AbortSignal;
  deadline?: number;
  /** Characters of passages per model call before map-reduce kicks in (default 6000). */
  contextChars?: number;
}

/** A department summary with its own citations, numbered 1..k in first-use order. */
export interface CitedDepartmentSummary extends DepartmentSummary {
  citations: Citation[];
  mode: AnswerMode;
}
