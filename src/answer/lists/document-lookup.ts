import { groupBy } from '../../internal/group-by.js';
import type { Chunk, StructuredDocument } from '../../types.js';
import { titleMatches } from './attachments.js';

/**
 * The index's document model as the answer layer reads it: a document's paragraphs and sections (to find the
 * items under a heading) and its chunks in document order (to cite each item from the chunk that holds it).
 */
export interface DocumentLookup {
  document(docId: string): StructuredDocument | undefined;
  /** The document's chunks, ordered by start offset. */
  chunks(docId: string): readonly Chunk[];
  /** The document whose title is `name` (an attachment a notice names), if the library holds one. */
  byTitle(name: string): StructuredDocument | undefined;
}

/** A lookup over the loaded index's documents and chunks (built once per engine). */
export function createDocumentLookup(
  documents: readonly StructuredDocument[],
  chunks: readonly Chunk[],
): DocumentLookup {
  const docs = new Map(documents.map((d) => [d.id, d]));
  const byDoc = groupBy(chunks, (c) => c.docId);
  for (const list of byDoc.values()) list.sort((a, b) => a.start - b.start);
  return {
    document: (id) => docs.get(id),
    chunks: (id) => byDoc.get(id) ?? [],
    byTitle: (name) => documents.find((d) => titleMatches(d.meta.title, name)),
  };
}
