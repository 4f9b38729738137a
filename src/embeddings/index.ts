export type { Embedder } from './Embedder.js';
export { type EmbedderLoad, loadEmbedder, pullModel } from './load-embedder.js';
export {
  BGE_EN_QUERY_INSTRUCTION,
  BGE_ZH_QUERY_INSTRUCTION,
  detectModelFamily,
  type FamilyPrefixes,
  familyPrefixes,
  type ModelFamily,
  prefixesForModel,
} from './model-families.js';
export { TransformersEmbedder, type TransformersEmbedderOptions } from './TransformersEmbedder.js';
