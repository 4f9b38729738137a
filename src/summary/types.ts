import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import type {
  AnswerMode,
  Chunk,
  Citation,
  DocumentPart,
  Issuer,
  IssuerSummary,
  Language,
  Section,
  StructuredDocument,
} from '../types.js';

/** What one issuer's summary is built from: its part of a document (a whole document, an article), its chunks. */
export interface IssuerSummaryInput {
  issuer: Issuer;
  part: DocumentPart;
  /** The part's outermost sections, in order. */
  sections: Section[];
  doc: StructuredDocument;
  /** The issuer's chunks (the cited units), any order. */
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

/** A issuer summary with its own citations, numbered 1..k in first-use order. */
export interface CitedIssuerSummary extends IssuerSummary {
  citations: Citation[];
  mode: AnswerMode;
}
