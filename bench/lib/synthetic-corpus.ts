import type { Article, Chunk, Department, Paragraph, StructuredDocument } from '../../src/types.js';
import { mulberry32 } from './prng.js';
import { type SeedCorpus, seedSentences } from './seed-corpus.js';

/** Chunks per synthetic document (each document holds one article per seed department). */
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
 * each chunk belongs to a seed department and strings together that department's sentences (with commas) up to
 * 120–300 characters, like the chunker's output. Same arguments, same corpus, byte for byte.
 */
export function* syntheticDocuments(
  seed: SeedCorpus,
  count: number,
  prngSeed = SYNTHETIC_SEED,
): Generator<CorpusDocument> {
  const random = mulberry32(prngSeed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const departments = new Map<string, { department: Department; sentences: string[] }>();
  for (const chunk of seed.chunks) {
    if (!chunk.department || !chunk.departmentFull) continue;
    const entry = departments.get(chunk.department) ?? {
      department: { short: chunk.department, full: chunk.departmentFull },
      sentences: [],
    };
    entry.sentences.push(...seedSentences([chunk]));
    departments.set(chunk.department, entry);
  }
  const groups = [...departments.values()].filter((d) => d.sentences.length > 0);
  if (groups.length === 0)
    groups.push({ department: { short: '-', full: '-' }, sentences: seedSentences(seed.chunks) });
  const docTitle = seed.documents[0]?.title ?? 'synthetic';

  let ordinal = 0;
  for (let docIndex = 0; ordinal < count; docIndex++) {
    const docId = `synthetic-${String(docIndex).padStart(4, '0')}`;
    const inDoc = Math.min(CHUNKS_PER_DOCUMENT, count - ordinal);
    const chunks: Chunk[] = [];
    const perArticle = Math.ceil(inDoc / groups.length);
    const parts: string[] = [];
    const paragraphs: Paragraph[] = [];
    const articles: Article[] = [];
    let offset = 0;
    for (let j = 0; j < inDoc; j++) {
      const articleIndex = Math.floor(j / perArticle);
      const group = groups[articleIndex % groups.length] as (typeof groups)[number];
      const articleTitle = `${group.department.full}：2022年工作思路（${docIndex}）`;
      if (!articles[articleIndex]) {
        articles[articleIndex] = {
          index: articleIndex,
          title: articleTitle,
          department: group.department,
          start: offset,
          end: offset,
          sections: [],
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
      (articles[articleIndex] as Article).end = end;
      paragraphs.push({ index: j, kind: 'body', start, end, articleIndex, section: null });
      chunks.push({
        id: `${docId}#${j}`,
        ordinal: ordinal++,
        docId,
        docTitle,
        articleTitle,
        department: group.department.short,
        departmentFull: group.department.full,
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
      title: docTitle,
      editorsNote: null,
      cleanedText: parts.join('\n\n'),
      contentHash: `${prngSeed}-${count}-${docIndex}`,
      paragraphs,
      articles,
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
