/**
 * Retrieval models are trained with fixed prefixes on queries and/or passages; embedding without
 * them costs noticeable recall. The family is recognised from the model id (or directory name).
 */
export type ModelFamily = 'e5' | 'bge-zh' | 'bge-en' | 'unknown';

export interface FamilyPrefixes {
  query: string;
  passage: string;
}

/** Instruction published with the bge-*-zh models for short-query → passage retrieval. */
export const BGE_ZH_QUERY_INSTRUCTION = '为这个句子生成表示以用于检索相关文章：';
/** Instruction published with the bge-*-en models. */
export const BGE_EN_QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

const PREFIXES: Record<ModelFamily, FamilyPrefixes> = {
  e5: { query: 'query: ', passage: 'passage: ' },
  'bge-zh': { query: BGE_ZH_QUERY_INSTRUCTION, passage: '' },
  'bge-en': { query: BGE_EN_QUERY_INSTRUCTION, passage: '' },
  unknown: { query: '', passage: '' },
};

/**
 * Family of a model from its hub id or local directory path. Only the last path segment counts,
 * so a directory that merely sits under a folder called "e5" is not mistaken for one.
 */
export function detectModelFamily(modelId: string): ModelFamily {
  const name =
    modelId
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase() ?? '';
  if (/(^|[-_.])e5([-_.]|$)/.test(name)) return 'e5';
  // bge-m3 and bge-reranker are not instruction-tuned this way, so they fall through to unknown.
  if (/^bge-.*-zh(-|$)/.test(name)) return 'bge-zh';
  if (/^bge-.*-en(-|$)/.test(name)) return 'bge-en';
  return 'unknown';
}

/** Query and passage prefixes for a family. */
export function familyPrefixes(family: ModelFamily): FamilyPrefixes {
  return PREFIXES[family];
}

/** Prefixes for a model id (shortcut for `familyPrefixes(detectModelFamily(id))`). */
export function prefixesForModel(modelId: string): FamilyPrefixes {
  return familyPrefixes(detectModelFamily(modelId));
}
