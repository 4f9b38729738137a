import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { loadSeedCorpus, readDevQa, seedSentences } from './seed-corpus.js';
import { makeQueries } from './synthetic-corpus.js';

/** Where a scale index's query texts come from: the corpus it was generated from and that corpus's questions. */
export interface QuerySources {
  /** `library` (the dev library replicated) or a synthetic corpus generated from the seed. */
  corpus: string;
  corpusDir: string;
  devQa: string;
  libraryDir: string;
  libraryQa: string;
}

/** The repository's own sources, as bench/run.ts passes them to the bench worker. */
export function repoQuerySources(root: string, corpus: string): QuerySources {
  return {
    corpus,
    corpusDir: join(root, 'corpus'),
    devQa: join(root, 'eval', 'seed', 'qa.jsonl'),
    libraryDir: join(root, 'eval', 'corpus-dev', 'docs'),
    libraryQa: join(root, 'eval', 'corpus-dev', 'qa.jsonl'),
  };
}

/** Questions and sentence fragments to query a scale index with (its own corpus's questions first). */
export async function scaleQueries(sources: QuerySources, count: number): Promise<string[]> {
  const library = sources.corpus === 'library';
  const corpus = await loadSeedCorpus(
    library ? sources.libraryDir : sources.corpusDir,
    loadConfig({}).chunking,
  );
  const questions = await readDevQa(library ? sources.libraryQa : sources.devQa);
  return makeQueries(
    questions.map((d) => d.q),
    seedSentences(corpus.chunks),
    count,
  );
}
