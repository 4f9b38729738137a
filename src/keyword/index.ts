export { setReverseDictionaryCacheDir } from './cedict-reverse.js';
export { KeywordIndex } from './KeywordIndex.js';
export { type KeywordBuildOptions, KeywordIndexBuilder } from './KeywordIndexBuilder.js';
export { hasHan, segment } from './segmenter.js';
export { analyzeQuery, detectLanguage, warmUpQueryAnalysis } from './translate.js';
export type {
  KeywordHit,
  KeywordRow,
  KeywordSearchOptions,
  QueryAnalysis,
  QueryTerm,
  QueryTermSource,
} from './types.js';
