import { readFile } from 'node:fs/promises';
import { loadCorpus, structureDocument } from '../../src/ingest/index.js';
import { chunkDocument } from '../../src/node-parser/index.js';
import type { Chunk, Language, StructuredDocument } from '../../src/types.js';

/** The seed corpus run through the production pipeline (clean → structure → chunk), as `ensureIndex` does. */
export interface SeedCorpus {
  documents: StructuredDocument[];
  chunks: Chunk[];
}

export async function loadSeedCorpus(
  corpusDir: string,
  chunking: { size: number; overlap: number },
): Promise<SeedCorpus> {
  const { documents: sources } = await loadCorpus(corpusDir);
  const documents: StructuredDocument[] = [];
  const chunks: Chunk[] = [];
  for (const source of sources) {
    const doc = structureDocument(source);
    documents.push(doc);
    for (const chunk of chunkDocument(doc, chunking)) {
      chunks.push({ ...chunk, ordinal: chunks.length, id: `${doc.id}#${chunk.ordinal}` });
    }
  }
  return { documents, chunks };
}

/** One line of eval/seed/qa.jsonl; `evidence` null marks an unanswerable question. */
export interface DevQaItem {
  id: string;
  q: string;
  dept: string | null;
  evidence: string | null;
  lang: Language;
}

export async function readDevQa(file: string): Promise<DevQaItem[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as DevQaItem);
}

/** Sentences of the seed chunks (split after 。；！？ and at commas), at least 6 characters long. */
export function seedSentences(chunks: readonly Chunk[]): string[] {
  const seen = new Set<string>();
  for (const chunk of chunks) {
    for (const s of chunk.text.split(/(?<=[。；！？\n])|，/)) {
      const t = s.trim();
      if (t.length >= 6) seen.add(t);
    }
  }
  return [...seen];
}
