/** Public API of comparisons ("what changed"). */
export { type CompareDeps, compareTexts, extractiveComparison } from './compare.js';
export { type CompareQuestion, compareQuestion, comparisonAnswer, focusComparison } from './question.js';
export { citationsCitedIn, renderComparison, sideLabel } from './render.js';
export { resolveSides, resolveTarget, type SideLibrary } from './sides.js';
