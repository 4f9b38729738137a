import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTinyModel } from '../../scripts/make-tiny-model.js';

/** A fresh temp dir with the generated tiny TEST model in `<dir>/<name>`; `cleanup` removes it. */
export async function tinyModelFixture(name = 'tiny-model'): Promise<{
  root: string;
  modelDir: string;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'policybot-embed-'));
  const modelDir = join(root, name);
  await makeTinyModel(modelDir);
  return { root, modelDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
