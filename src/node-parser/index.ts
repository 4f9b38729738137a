/** Node parsing: sentences and chunks over a structured document's cleaned text. */
export { type ChunkOptions, chunkDocument, packUnits } from './chunker.js';
export { type SentenceSpan, splitSentences } from './sentence-splitter.js';
