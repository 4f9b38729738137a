import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI, REPO, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

let env: Record<string, string>;

before(async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` before the CLI tests');
  const root = await tempDir();
  env = {
    POLICYBOT_CORPUS_DIR: join(REPO, 'test/fixtures/compare'),
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(REPO, 'test/.tmp/tiny-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
});

test('compare A B prints the comparison with its sources; --json the Comparison', async () => {
  const text = await runCli(['compare', '临工信发〔2021〕3号', '临工信发〔2022〕5号'], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^比较：/);
  assert.match(
    text.stdout,
    /目标已成结果（\d+）：\n(?:- .*\n)*- 80家 → 86家：全年新培育专精特新中小企业80家\[\d+\] → 全市新培育专精特新中小企业86家\[\d+\]/,
  );
  assert.match(
    text.stdout,
    /\n\[1\] 临江市工业和信息化局 › 《临江市工业和信息化局2021年工作要点》.*\(linjiang-2021 @\d+-\d+\)/,
  );
  const json = await runCli(['compare', '--json', '临江市工业和信息化局', '2021', '2022'], { env });
  assert.equal(json.code, 0, json.stderr);
  const c = JSON.parse(json.stdout);
  assert.equal(c.before.docId, 'linjiang-2021');
  assert.equal(c.after.docId, 'linjiang-2022');
  assert.ok(c.counts.fulfilled >= 1 && c.counts.added >= 1 && c.counts.dropped >= 1);
});

test('compare exits 1 with a one-line message when a side names nothing, 2 on a bad flag', async () => {
  const missing = await runCli(['compare', '火星局'], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /policybot: Nothing in the library matches “火星局”/);
  const bad = await runCli(['compare', '--language', 'fr', 'linjiang-2021'], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--language must be zh or en/);
});
