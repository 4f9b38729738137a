import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { loadSeedCorpus, readDevQa, seedSentences } from './seed-corpus.js';
import { makeQueries } from './synthetic-corpus.js';

/**
 * The bench's own query texts for a scale index outside the bench worker (bench/worker.ts `scaleQueries`): the
 * corpus's questions, then sentence fragments — the dev library's for `library`, the seed's otherwise.
 */
export async function benchQueries(root: string, corpus: string, count: number): Promise<string[]> {
  const chunking = loadConfig({}).chunking;
  if (corpus === 'library') {
    const library = await loadSeedCorpus(join(root, 'eval/corpus-dev/docs'), chunking);
    const questions = (await readFile(join(root, 'eval/corpus-dev/qa.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { q: string }).q);
    return makeQueries(questions, seedSentences(library.chunks), count);
  }
  const seed = await loadSeedCorpus(join(root, 'corpus'), chunking);
  const devQa = await readDevQa(join(root, 'eval/seed/qa.jsonl'));
  return makeQueries(
    devQa.map((d) => d.q),
    seedSentences(seed.chunks),
    count,
  );
}
