import { blankMeta } from '../../src/ingest/metadata/detect-metadata.js';
import type { Chunk, DocumentPart, Issuer, Paragraph, StructuredDocument } from '../../src/types.js';
import { mulberry32 } from './prng.js';
import { type SeedCorpus, seedSentences } from './seed-corpus.js';

/** Chunks per synthetic document (each document holds one article per seed issuer). */
const CHUNKS_PER_DOCUMENT = 1_000;
const MAX_CHUNK_CHARS = 300;
const MIN_CHUNK_CHARS = 120;
export const SYNTHETIC_SEED = 20_220_101;

/** One document of a generated corpus with its chunks (ordinals continue across documents). */
export interface CorpusDocument {
  document: StructuredDocument;
  chunks: Chunk[];
}

/**
 * `count` chunks recombined from the seed's sentences with a fixed-seed PRNG, a document (1,000 chunks) at a time:
 * each chunk belongs to a seed issuer and strings together that issuer's sentences (with commas) up to
 * 120–300 characters, like the chunker's output. Same arguments, same corpus, byte for byte.
 */
export function* syntheticDocuments(
  seed: SeedCorpus,
  count: number,
  prngSeed = SYNTHETIC_SEED,
): Generator<CorpusDocument> {
  const random = mulberry32(prngSeed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const issuers = new Map<string, { issuer: Issuer; sentences: string[] }>();
  for (const chunk of seed.chunks) {
    if (!chunk.issuer || !chunk.issuerFull) continue;
    const entry = issuers.get(chunk.issuer) ?? {
      issuer: { short: chunk.issuer, full: chunk.issuerFull },
      sentences: [],
    };
    entry.sentences.push(...seedSentences([chunk]));
    issuers.set(chunk.issuer, entry);
  }
  const groups = [...issuers.values()].filter((d) => d.sentences.length > 0);
  if (groups.length === 0)
    groups.push({ issuer: { short: '-', full: '-' }, sentences: seedSentences(seed.chunks) });
  const docTitle = seed.documents[0]?.meta.title ?? 'synthetic';

  let ordinal = 0;
  for (let docIndex = 0; ordinal < count; docIndex++) {
    const docId = `synthetic-${String(docIndex).padStart(4, '0')}`;
    const inDoc = Math.min(CHUNKS_PER_DOCUMENT, count - ordinal);
    const chunks: Chunk[] = [];
    const perArticle = Math.ceil(inDoc / groups.length);
    const parts: string[] = [];
    const paragraphs: Paragraph[] = [];
    const articles: DocumentPart[] = [
      { index: 0, kind: 'main', title: docTitle, issuer: null, start: 0, end: 0 },
    ];
    let offset = 0;
    for (let j = 0; j < inDoc; j++) {
      const articleIndex = Math.floor(j / perArticle) + 1;
      const group = groups[(articleIndex - 1) % groups.length] as (typeof groups)[number];
      const partTitle = `${group.issuer.full}：2022年工作思路（${docIndex}）`;
      if (!articles[articleIndex]) {
        articles[articleIndex] = {
          index: articleIndex,
          kind: 'article',
          title: partTitle,
          issuer: group.issuer,
          start: offset,
          end: offset,
        };
      }
      const target = MIN_CHUNK_CHARS + random() * (MAX_CHUNK_CHARS - MIN_CHUNK_CHARS);
      let text = '';
      while (text.length < target) {
        const next = `${pick(group.sentences)}，`;
        if (text.length > 0 && text.length + next.length > MAX_CHUNK_CHARS) break;
        text += next;
      }
      text = `${text.slice(0, -1)}。`;
      const start = offset;
      const end = start + text.length;
      parts.push(text);
      offset = end + 2;
      (articles[articleIndex] as DocumentPart).end = end;
      paragraphs.push({
        index: j,
        kind: 'body',
        start,
        end,
        part: articleIndex,
        section: null,
        numbering: null,
        page: null,
      });
      chunks.push({
        id: `${docId}#${j}`,
        ordinal: ordinal++,
        docId,
        docTitle,
        partTitle,
        issuer: group.issuer.short,
        issuerFull: group.issuer.full,
        docNumber: null,
        date: null,
        region: null,
        sectionPath: [],
        section: null,
        paragraphIndex: j,
        start,
        end,
        text,
      });
    }
    const document: StructuredDocument = {
      id: docId,
      sourcePath: `synthetic/${docId}.txt`,
      meta: blankMeta(docTitle),
      cleanedText: parts.join('\n\n'),
      contentHash: `${prngSeed}-${count}-${docIndex}`,
      paragraphs,
      parts: articles,
      sections: [],
    };
    yield { document, chunks };
  }
}

/**
 * Benchmark queries: every dev-qa question first, then fragments (8–20 characters) cut from seed
 * sentences, as users quote a phrase they half remember.
 */
export function makeQueries(
  questions: readonly string[],
  sentences: readonly string[],
  count: number,
): string[] {
  const random = mulberry32(SYNTHETIC_SEED + 1);
  const out = questions.slice(0, count);
  while (out.length < count) {
    const s = sentences[Math.floor(random() * sentences.length)] as string;
    const len = Math.min(s.length, 8 + Math.floor(random() * 13));
    const start = Math.floor(random() * (s.length - len + 1));
    out.push(s.slice(start, start + len));
  }
  return out;
}
