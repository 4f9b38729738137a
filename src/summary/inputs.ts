import { groupBy } from '../internal/group-by.js';
import type { Chunk, StructuredDocument } from '../types.js';
import type { IssuerSummaryInput } from './types.js';

/**
 * One summary input per issuer and part: a bylined article for its issuer, a whole document for each of its
 * issuers — with the part's chunks and outermost sections.
 */
export function issuerSummaryInputs(
  documents: readonly StructuredDocument[],
  allChunks: readonly Chunk[],
): IssuerSummaryInput[] {
  const inputs: IssuerSummaryInput[] = [];
  const byDoc = groupBy(allChunks, (c) => c.docId);
  for (const doc of documents) {
    const docChunks = byDoc.get(doc.id) ?? [];
    for (const part of doc.parts) {
      // A column's issuers are its articles'; only a document without bylines speaks for its issuers as a whole.
      const bylined = doc.parts.some((p) => p.issuer !== null);
      const issuers = part.issuer ? [part.issuer] : part.index === 0 && !bylined ? doc.meta.issuers : [];
      if (issuers.length === 0) continue;
      const chunks = docChunks.filter((c) => c.start >= part.start && c.end <= part.end);
      if (chunks.length === 0) continue;
      const inPart = doc.sections.filter((s) => s.part === part.index);
      const top = Math.min(...inPart.map((s) => s.rank));
      const sections = inPart.filter((s) => s.rank === top);
      for (const issuer of issuers) inputs.push({ issuer, part, sections, doc, chunks });
    }
  }
  return inputs;
}
