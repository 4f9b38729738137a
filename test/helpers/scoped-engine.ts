/**
 * A real engine (tiny TEST model) over a two-folder library for document-set tests: `miit/` holds the seed
 * corpus (corpus/miit-2022-work-plans.txt, four MIIT departments) and `ndrc/` the NDRC markdown fixture
 * (test/fixtures/ndrc-2022-work-plans.md, 高技术司 and 地区振兴司). Built into a fresh temp folder.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/engine/createEngine.js';
import { createTestEngine } from './engine.js';
import { tempDir } from './temp-dir.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export async function createScopedTestEngine(): Promise<{ engine: Engine; dir: string }> {
  const dir = await tempDir('policybot-scoped-');
  const corpus = join(dir, 'corpus');
  await mkdir(join(corpus, 'miit'), { recursive: true });
  await mkdir(join(corpus, 'ndrc'), { recursive: true });
  await copyFile(
    join(REPO, 'corpus/miit-2022-work-plans.txt'),
    join(corpus, 'miit/miit-2022-work-plans.txt'),
  );
  await copyFile(
    join(REPO, 'test/fixtures/ndrc-2022-work-plans.md'),
    join(corpus, 'ndrc/ndrc-2022-work-plans.md'),
  );
  const engine = await createTestEngine({
    env: { POLICYBOT_CORPUS_DIR: corpus, POLICYBOT_INDEX_DIR: join(dir, 'index') },
  });
  return { engine, dir };
}
