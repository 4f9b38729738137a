/** Public API of department summaries. */
export { buildSummary, renderDepartment } from './render-summary.js';
export { SummaryCache, type SummaryCacheKey, type SummaryCacheOptions } from './SummaryCache.js';
export { summarize, summarizeAll, summarizeDepartment } from './summarize.js';
export type { CitedDepartmentSummary, DepartmentSummaryInput, SummaryDeps } from './types.js';
