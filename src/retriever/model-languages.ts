import { detectModelFamily } from '../embeddings/model-families.js';
import type { Language } from '../types.js';

/**
 * Whether a model's family was trained on queries in `language`. Unknown families (including local
 * directories with other names) are assumed to handle both.
 */
export function modelHandlesLanguage(modelId: string, language: Language): boolean {
  switch (detectModelFamily(modelId)) {
    case 'bge-zh':
      return language === 'zh';
    case 'bge-en':
      return language === 'en';
    default:
      return true;
  }
}
