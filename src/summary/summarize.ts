/**
 * Department summaries: extractive from the document structure by default, written by the LLM when one
 * is configured (falling back to extractive when it fails or yields nothing verifiable).
 */
import type { Department, Summary } from '../types.js';
import { extractiveDepartmentSummary } from './extractive-summary.js';
import { llmDepartmentSummary } from './llm-summary.js';
import { buildSummary } from './render-summary.js';
import type { CitedDepartmentSummary, DepartmentSummaryInput, SummaryDeps } from './types.js';

/** One department's summary with its own citations [1..k]. Never throws for LLM failures. */
export async function summarizeDepartment(
  input: DepartmentSummaryInput,
  deps: SummaryDeps,
): Promise<CitedDepartmentSummary> {
  if (deps.llm) {
    try {
      return await llmDepartmentSummary(input, deps);
    } catch (error) {
      deps.logger.warn(
        { err: error, requestId: deps.requestId, department: input.department.short },
        'llm summary failed; extractive fallback',
      );
    }
  }
  return extractiveDepartmentSummary(input, deps.language);
}

/**
 * The `Summary` of one department (`department` set) or of all of them (`department` null), citations
 * numbered consecutively across departments.
 */
export async function summarize(
  department: Department | null,
  inputs: readonly DepartmentSummaryInput[],
  deps: SummaryDeps,
): Promise<Summary> {
  const selected = department ? inputs.filter((i) => i.department.short === department.short) : inputs;
  const parts: CitedDepartmentSummary[] = [];
  for (const input of selected) parts.push(await summarizeDepartment(input, deps));
  return buildSummary(department, parts, deps.language);
}

/** All departments' summaries in one `Summary` (department null). */
export function summarizeAll(inputs: readonly DepartmentSummaryInput[], deps: SummaryDeps): Promise<Summary> {
  return summarize(null, inputs, deps);
}
