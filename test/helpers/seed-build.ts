/**
 * A temporary copy of the seed corpus and the keyword-only build options of an index beside it: what the index
 * tests build, publish, lock and damage.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/logging/logger.js';
import { tempDir } from './temp-dir.js';

const SEED = new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url);

export async function seedBuild(indexPath: readonly string[] = ['embeddings', 'index']) {
  const root = await tempDir();
  const corpusDir = join(root, 'corpus');
  await mkdir(corpusDir);
  await copyFile(SEED, join(corpusDir, 'seed.txt'));
  const indexDir = join(root, ...indexPath);
  const options = {
    corpusDir,
    indexDir,
    chunking: { size: 300, overlap: 60 },
    embedder: null,
    embedderReason: 'test',
    logger: createSilentLogger(),
  };
  return { root, corpusDir, indexDir, options };
}
