/** Ingest stage: files → `SourceDocument` → cleaned, structured `StructuredDocument`. */
export { type CleanedText, type CleanParagraph, cleanText, shouldJoin } from './clean-text.js';
export {
  type CorpusLoad,
  documentIds,
  loadCorpus,
  loadDocument,
  type UnchangedFile,
} from './load-corpus.js';
export { LoadError } from './load-error.js';
export { DEFAULT_LOADERS, loaderFor, markdownLoader, markdownToText, textLoader } from './loaders/index.js';
export { closeOcr } from './ocr/lifecycle.js';
export { leadSentence, structureDocument } from './structure-document.js';
export { parseByline } from './text-rules.js';
export type {
  Loader,
  LoaderOptions,
  LoadFailure,
  SourceBlock,
  SourceDocument,
  StatedMetadata,
} from './types.js';
