import { groupBy } from '../../src/internal/group-by.js';
import type { SeedCorpus } from './seed-corpus.js';
import type { CorpusDocument } from './synthetic-corpus.js';

/**
 * The text of a real library at any size: a corpus already run through the production pipeline (the dev corpus,
 * eval/corpus-dev/docs, in the formats that load today) replicated with distinct document ids (`<id>~<n>`) until
 * `count` chunks. Every replica keeps the real wording, lengths and vocabulary, so keyword statistics (document
 * frequencies, posting-list shapes) are those of real policy text, only scaled.
 */
export function* libraryDocuments(library: SeedCorpus, count: number): Generator<CorpusDocument> {
  if (library.chunks.length === 0) throw new Error('library corpus has no chunks');
  const byDocument = groupBy(library.chunks, (c) => c.docId);
  let ordinal = 0;
  for (let replica = 0; ordinal < count; replica++) {
    for (const source of library.documents) {
      if (ordinal >= count) return;
      const id = `${source.id}~${replica}`;
      const chunks = (byDocument.get(source.id) ?? [])
        .slice(0, count - ordinal)
        .map((c, i) => ({ ...c, id: `${id}#${i}`, docId: id, ordinal: ordinal++ }));
      yield {
        document: { ...source, id, contentHash: `${source.contentHash}~${replica}` },
        chunks,
      };
    }
  }
}

/** An in-memory corpus as a stream of documents with their chunks. */
export function* documentsOf(corpus: SeedCorpus): Generator<CorpusDocument> {
  const byDocument = groupBy(corpus.chunks, (c) => c.docId);
  for (const document of corpus.documents) yield { document, chunks: byDocument.get(document.id) ?? [] };
}
