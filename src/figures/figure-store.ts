import type { Figure, StructuredDocument } from '../types.js';
import { extractFigures } from './extract-figures.js';

/**
 * Bumped whenever extraction rules change what is extracted. An index whose figures file is older (or missing:
 * built before figures existed) gets its figures recomputed from the documents it stores, so no rebuild is needed.
 */
export const FIGURES_VERSION = 2;

export interface EncodedFigures {
  version: number;
  figures: Figure[];
}

export function encodeFigures(documents: readonly StructuredDocument[]): EncodedFigures {
  return { version: FIGURES_VERSION, figures: documents.flatMap((d) => extractFigures(d)) };
}

/**
 * The figures of an updated library: those stored for the documents `reused` names (their text did not change),
 * extracted anew for the others, in document order. Everything is extracted when `previous` is of another version.
 */
export function updateFigures(
  previous: EncodedFigures | null,
  documents: readonly StructuredDocument[],
  reused: ReadonlySet<string>,
): EncodedFigures {
  if (previous?.version !== FIGURES_VERSION || !Array.isArray(previous.figures))
    return encodeFigures(documents);
  const kept = new Map<string, Figure[]>();
  for (const figure of previous.figures) {
    if (!reused.has(figure.docId)) continue;
    const list = kept.get(figure.docId) ?? [];
    list.push(figure);
    kept.set(figure.docId, list);
  }
  return {
    version: FIGURES_VERSION,
    figures: documents.flatMap((d) => (reused.has(d.id) ? (kept.get(d.id) ?? []) : extractFigures(d))),
  };
}

/** The stored figures when they are of this version and match the documents; otherwise extracted anew. */
export function decodeFigures(
  encoded: EncodedFigures | null,
  documents: readonly StructuredDocument[],
): Figure[] {
  if (encoded?.version === FIGURES_VERSION && Array.isArray(encoded.figures)) {
    const byId = new Map(documents.map((d) => [d.id, d]));
    const valid = encoded.figures.every(
      (f) => byId.get(f.docId)?.cleanedText.slice(f.start, f.end) === f.quote,
    );
    if (valid) return encoded.figures;
  }
  return encodeFigures(documents).figures;
}
