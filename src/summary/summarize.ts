/**
 * Issuer summaries: extractive from the document structure by default, written by the LLM when one
 * is configured (falling back to extractive when it fails or yields nothing verifiable).
 */
import type { Issuer, Summary } from '../types.js';
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

/**
 * The `Summary` of one issuer (`issuer` set) or of all of them (`issuer` null), citations
 * numbered consecutively across issuers.
 */
export async function summarize(
  issuer: Issuer | null,
  inputs: readonly IssuerSummaryInput[],
  deps: SummaryDeps,
): Promise<Summary> {
  const selected = issuer ? inputs.filter((i) => i.issuer.short === issuer.short) : inputs;
  const parts: CitedIssuerSummary[] = [];
  for (const input of selected) parts.push(await summarizeIssuer(input, deps));
  return buildSummary(issuer, parts, deps.language);
}

/** All issuers' summaries in one `Summary` (issuer null). */
export function summarizeAll(inputs: readonly IssuerSummaryInput[], deps: SummaryDeps): Promise<Summary> {
  return summarize(null, inputs, deps);
}
