import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AutoModel, env, Tensor } from '@huggingface/transformers';
import { makeTinyModel, TINY_MODEL_HIDDEN_SIZE } from '../../scripts/make-tiny-model.js';

async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (d: string): Promise<string[]> =>
    (
      await Promise.all(
        (
          await readdir(d, { withFileTypes: true })
        ).map((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])),
      )
    ).flat();
  for (const file of (await walk(dir)).sort()) {
    hash
      .update(relative(dir, file))
      .update('\0')
      .update(await readFile(file));
  }
  return hash.digest('hex');
}

describe('make-tiny-model', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'policybot-tiny-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generates byte-identical models on every run', async () => {
    const a = await makeTinyModel(join(root, 'a'));
    const b = await makeTinyModel(join(root, 'b'));
    assert.equal(a.sha256, b.sha256);
    assert.equal(await treeHash(join(root, 'a')), await treeHash(join(root, 'b')));
    assert.equal(a.written, true);
    assert.equal(a.hiddenSize, TINY_MODEL_HIDDEN_SIZE);
    assert.ok(a.vocabSize > 20_992, `vocab ${a.vocabSize} covers the CJK block`);
    assert.ok(a.bytes < 10_000_000, `model is ${a.bytes} bytes`);
  });

  it('skips writing when the output is already up to date, and repairs a changed file', async () => {
    const dir = join(root, 'a');
    const modelFile = join(dir, 'onnx', 'model.onnx');
    const before = (await stat(modelFile)).mtimeMs;
    const again = await makeTinyModel(dir);
    assert.equal(again.written, false);
    assert.equal((await stat(modelFile)).mtimeMs, before);

    await writeFile(join(dir, 'config.json'), '{}');
    const repaired = await makeTinyModel(dir);
    assert.equal(repaired.written, true);
    assert.equal(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).policybot_test_model, true);
  });

  it('labels itself as a test model and covers every corpus character', async () => {
    const dir = join(root, 'a');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'bert');
    assert.equal(config.policybot_test_model, true);
    assert.equal(config.hidden_size, TINY_MODEL_HIDDEN_SIZE);
    assert.match(await readFile(join(dir, 'README.md'), 'utf8'), /TEST MODEL/);

    const vocab = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')).model.vocab as Record<
      string,
      number
    >;
    assert.deepEqual(
      ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => vocab[t]),
      [0, 1, 2, 3, 4],
    );
    const corpusDir = join(import.meta.dirname, '..', '..', 'corpus');
    for (const name of (await readdir(corpusDir)).filter((n) => n.endsWith('.txt'))) {
      const missing = [...new Set(await readFile(join(corpusDir, name), 'utf8'))].filter(
        (ch) => !/\s/u.test(ch) && vocab[ch] === undefined,
      );
      assert.deepEqual(missing, [], `${name} characters missing from the vocabulary`);
    }
    for (const ch of ['的', '一', '龥', 'a', '##a', '7', '##7', '，', '。']) {
      assert.notEqual(vocab[ch], undefined, `vocab has ${ch}`);
    }
  });

  it('is a valid ONNX graph (run by onnxruntime-node): masked embedding lookup, BERT input/output names', async () => {
    env.allowRemoteModels = false;
    const model = await AutoModel.from_pretrained(join(root, 'a'), { dtype: 'fp32', local_files_only: true });
    try {
      const session = (
        model as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[] }> }
      ).sessions.model;
      assert.deepEqual(session?.inputNames, ['input_ids', 'attention_mask', 'token_type_ids']);
      assert.deepEqual(session?.outputNames, ['last_hidden_state']);
      const tensor = (values: bigint[]) => new Tensor('int64', BigInt64Array.from(values), [2, 3]);
      const { last_hidden_state: out } = await model({
        input_ids: tensor([2n, 500n, 3n, 2n, 500n, 0n]),
        attention_mask: tensor([1n, 1n, 1n, 1n, 1n, 0n]),
        token_type_ids: tensor([0n, 0n, 0n, 0n, 0n, 0n]),
      });
      assert.deepEqual(out.dims, [2, 3, TINY_MODEL_HIDDEN_SIZE]);
      const data = out.data as Float32Array;
      const row = (r: number) =>
        Array.from(data.subarray(r * TINY_MODEL_HIDDEN_SIZE, (r + 1) * TINY_MODEL_HIDDEN_SIZE));
      assert.deepEqual(row(1), row(4), 'same token id, same vector');
      assert.ok(row(1).some((v) => v !== 0));
      assert.ok(
        row(5).every((v) => v === 0),
        'masked position is zero',
      );
    } finally {
      await model.dispose();
    }
  });
});
