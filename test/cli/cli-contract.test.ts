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
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(REPO, 'test/.tmp/tiny-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
});

test('index builds, then is a no-op', async () => {
  const first = await runCli(['index'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Indexed 1 document\(s\) into \d+ chunks \(dense/);
  const second = await runCli(['index'], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /up to date/);
});

test('retrieve --json prints the documented shape', async () => {
  const { code, stdout, stderr } = await runCli(
    ['retrieve', '--json', '--k', '3', '2021年新建了多少个5G基站？'],
    { env },
  );
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.equal(out.question, '2021年新建了多少个5G基站？');
  assert.equal(out.passages.length, 3);
  for (const key of ['id', 'doc', 'title', 'department', 'section', 'text', 'score'])
    assert.ok(key in out.passages[0], key);
  assert.equal(out.passages[0].department, '信息通信发展司');
  assert.match(out.passages[0].text, /新建5G基站超60万个/);
});

test('retrieve without a question reads stdin: one JSON line per question', async () => {
  const { code, stdout, stderr } = await runCli(['retrieve', '--dept', '中小企业'], {
    env,
    input: '小微企业融资担保有什么政策？\n\nWhat is planned for 6G research?\n',
  });
  assert.equal(code, 0, stderr);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[1].question, 'What is planned for 6G research?');
  for (const line of lines) for (const p of line.passages) assert.equal(p.department, '中小企业局');
});

test('departments --json lists the four departments', async () => {
  const { code, stdout } = await runCli(['departments', '--json'], { env });
  assert.equal(code, 0);
  assert.deepEqual(
    JSON.parse(stdout).map((d: { short: string }) => d.short),
    ['科技司', '电子信息司', '信息通信发展司', '中小企业局'],
  );
});

test('doctor reports the embedder, the index and the corpus', async () => {
  const { code, stdout } = await runCli(['doctor'], { env });
  assert.equal(code, 0);
  assert.match(stdout, /Node\.js\s+20|Node\.js\s+2\d/);
  assert.match(stdout, /TEST MODEL/);
  assert.match(stdout, /Index .*up to date/);
  assert.match(stdout, /Corpus .*1 document/);
});

test('doctor says loudly when the model is missing (keyword-only)', async () => {
  const { code, stdout } = await runCli(['doctor'], {
    env: { ...env, POLICYBOT_EMBEDDING_MODEL: '/nonexistent/model', POLICYBOT_ALLOW_REMOTE_MODELS: 'false' },
  });
  assert.equal(code, 0);
  assert.match(stdout, /KEYWORD-ONLY/);
  assert.match(stdout, /policybot models pull/);
});

test('usage errors exit 2, failures exit 1, each with one line on stderr', async () => {
  const badFlag = await runCli(['retrieve', '--nope', 'x'], { env });
  assert.equal(badFlag.code, 2);
  const badK = await runCli(['retrieve', '--k', 'many', 'x'], { env });
  assert.equal(badK.code, 2);
  assert.equal(badK.stderr.trim().split('\n').length, 1);
  const unknownCommand = await runCli(['frobnicate'], { env });
  assert.equal(unknownCommand.code, 2);
  const badConfig = await runCli(['retrieve', 'x'], { env: { ...env, PORT: 'eighty' } });
  assert.equal(badConfig.code, 1);
  assert.match(badConfig.stderr, /^policybot: configuration error: PORT/);
  const noCorpus = await runCli(['index'], { env: { ...env, POLICYBOT_CORPUS_DIR: '/nonexistent/corpus' } });
  assert.equal(noCorpus.code, 1);
  assert.match(noCorpus.stderr.trim().split('\n').at(-1) ?? '', /^policybot: /);
});

test('eval prints recall per language', async () => {
  const { code, stdout } = await runCli(
    ['eval', '--qa', join(REPO, '../shared/eval/dev-qa.jsonl'), '--json'],
    { env },
  );
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.ok(report.retrieval.zh.recallAt1 >= 0.95, JSON.stringify(report.retrieval));
  assert.ok(report.retrieval.en.recallAtK >= 0.8, JSON.stringify(report.retrieval));
});
