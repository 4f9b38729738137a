/** Public API of issuer summaries. */
export { buildSummary, renderIssuer } from './render-summary.js';
export { SummaryCache, type SummaryCacheKey, type SummaryCacheOptions } from './SummaryCache.js';
export { summarize, summarizeAll, summarizeIssuer } from './summarize.js';
export type { CitedIssuerSummary, IssuerSummaryInput, SummaryDeps } from './types.js';
