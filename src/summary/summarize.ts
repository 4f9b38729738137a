/**
 * Summaries of issuers and documents: extractive from the document structure by default, written by the LLM
 * when one is configured (falling back to extractive when it fails or yields nothing verifiable).
 *
 * - one document: its main sections (and goals/tasks), each cited (`document-summary.ts`);
 * - an issuer with one bylined article (a column's department): its results and priorities;
 * - an issuer with one whole document: that document's summary;
 * - an issuer with several documents: its documents, one cited line each.
 */

import { groupBy } from '../internal/group-by.js';
import type { Chunk, Issuer, StructuredDocument, Summary } from '../types.js';
import {
  documentListSummary,
  documentRef,
  documentSummaryInput,
  extractiveDocumentSummary,
} from './document-summary.js';
import { extractiveIssuerSummary } from './extractive-summary.js';
import { llmIssuerSummary } from './llm-summary.js';
import { buildSummary } from './render-summary.js';
import type { CitedIssuerSummary, IssuerSummaryInput, SummaryDeps } from './types.js';

/** One issuer's summary with its own citations [1..k]. Never throws for LLM failures. */
export async function summarizeIssuer(
  input: IssuerSummaryInput,
  deps: SummaryDeps,
): Promise<CitedIssuerSummary> {
  if (deps.llm) {
    try {
      return await llmIssuerSummary(input, deps);
    } catch (error) {
      deps.logger.warn(
        { err: error, requestId: deps.requestId, issuer: input.issuer.short },
        'llm summary failed; extractive fallback',
      );
    }
  }
  return extractiveIssuerSummary(input, deps.language);
}

/** One document's summary with its own citations [1..k]. Never throws for LLM failures. */
export async function summarizeDocumentPart(
  doc: StructuredDocument,
  chunks: readonly Chunk[],
  deps: SummaryDeps,
): Promise<CitedIssuerSummary> {
  const input = documentSummaryInput(doc, chunks);
  if (deps.llm) {
    try {
      return {
        ...(await llmIssuerSummary(input, deps)),
        partTitle: doc.meta.title,
        document: documentRef(doc),
      };
    } catch (error) {
      deps.logger.warn(
        { err: error, requestId: deps.requestId, doc: doc.id },
        'llm summary failed; extractive fallback',
      );
    }
  }
  return extractiveDocumentSummary(input, deps.language);
}

/** The summary of one document (`Summary.document` set). */
export async function summarizeDocument(
  doc: StructuredDocument,
  chunks: readonly Chunk[],
  deps: SummaryDeps,
): Promise<Summary> {
  const part = await summarizeDocumentPart(doc, chunks, deps);
  return buildSummary(part.issuer, [part], deps.language);
}

/** Several documents (those a name fits), one cited line each. */
export function summarizeDocuments(
  name: string,
  docs: readonly StructuredDocument[],
  chunks: readonly Chunk[],
  deps: SummaryDeps,
): Summary {
  const issuer: Issuer = { short: name, full: name };
  const part = documentListSummary(
    issuer,
    name,
    docs.map((doc) => ({ doc, chunks: chunks.filter((c) => c.docId === doc.id) })),
    deps.language,
  );
  return buildSummary(null, [part], deps.language);
}

/** What one issuer's inputs summarise to (see the module comment). */
async function issuerPart(
  inputs: readonly IssuerSummaryInput[],
  chunks: readonly Chunk[] | undefined,
  deps: SummaryDeps,
): Promise<CitedIssuerSummary[]> {
  const [first] = inputs;
  if (!first) return [];
  if (inputs.every((i) => i.part.kind === 'article')) {
    const parts: CitedIssuerSummary[] = [];
    for (const input of inputs) parts.push(await summarizeIssuer(input, deps));
    return parts;
  }
  if (inputs.length === 1) {
    const part = await summarizeDocumentPart(first.doc, chunks ?? first.chunks, deps);
    return [{ ...part, issuer: first.issuer }];
  }
  const docs = [...new Map(inputs.map((i) => [i.doc.id, i])).values()];
  return [
    documentListSummary(
      first.issuer,
      first.issuer.full,
      docs.map((i) => ({ doc: i.doc, chunks: i.chunks })),
      deps.language,
    ),
  ];
}

/**
 * The `Summary` of one issuer (`issuer` set) or of all of them (`issuer` null), citations numbered
 * consecutively across issuers. `chunks` (every chunk of the library) lets a whole document's summary
 * reach its attachments.
 */
export async function summarize(
  issuer: Issuer | null,
  inputs: readonly IssuerSummaryInput[],
  deps: SummaryDeps,
  chunks?: readonly Chunk[],
): Promise<Summary> {
  const selected = issuer ? inputs.filter((i) => i.issuer.short === issuer.short) : inputs;
  const byIssuer = groupBy(selected, (input) => input.issuer.full);
  const parts: CitedIssuerSummary[] = [];
  for (const group of byIssuer.values()) parts.push(...(await issuerPart(group, chunks, deps)));
  return buildSummary(issuer, parts, deps.language);
}

/** All issuers' summaries in one `Summary` (issuer null). */
export function summarizeAll(inputs: readonly IssuerSummaryInput[], deps: SummaryDeps): Promise<Summary> {
  return summarize(null, inputs, deps);
}
