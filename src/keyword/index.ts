export { setReverseDictionaryCacheDir } from './cedict-reverse.js';
export { KeywordIndex } from './KeywordIndex.js';
export { hasHan, segment } from './segmenter.js';
export { analyzeQuery, detectLanguage, warmUpQueryAnalysis } from './translate.js';
export type {
  KeywordFilter,
  KeywordHit,
  KeywordRow,
  KeywordSearchOptions,
  QueryAnalysis,
  QueryTerm,
  QueryTermSource,
} from './types.js';
