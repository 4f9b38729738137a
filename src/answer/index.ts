/** Public API of the answer layer (what src/engine wires in). */
export { type AnswerDeps, composeAnswer, refusalSuggestions, streamAnswer } from './compose.js';
export { assessCoverage, type CoverageDecision, type EvidenceSignals, REFUSAL } from './coverage.js';
export { composeExtractive, type ExtractiveResult } from './extractive.js';
export { type FollowupDeps, type ResolvedFollowup, resolveFollowup } from './followup.js';
export { detectQuestionLanguage } from './text-features.js';
export { verifyCitations } from './verify-citations.js';
