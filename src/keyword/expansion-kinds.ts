/**
 * The names of the keyword query expansions (keyword/expand.ts, retriever/feedback.ts), apart from their code so
 * that reading the configuration does not load the segmenter and its dictionary.
 */
export type ExpansionKind = 'senses' | 'split' | 'feedback';

export const EXPANSION_KINDS: readonly ExpansionKind[] = ['senses', 'split', 'feedback'];

/** Parses a comma-separated list of expansion kinds ("senses,feedback"); unknown names are ignored. */
export function parseExpansionKinds(text: string): Set<ExpansionKind> {
  const names = text.split(/[\s,]+/).filter(Boolean);
  return new Set(EXPANSION_KINDS.filter((k) => names.includes(k)));
}
