import type { MetadataOrigin, SourceDocument, StatedMetadata } from '../types.js';

/** Sets `stated` and its origin on a document when the format stated anything. */
export function withStated(
  doc: SourceDocument,
  stated: StatedMetadata,
  origin: MetadataOrigin,
): SourceDocument {
  if (Object.keys(stated).length > 0) {
    doc.stated = stated;
    doc.statedOrigin = origin;
  }
  return doc;
}

/** "1 page", "3 pages": for failure messages. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
