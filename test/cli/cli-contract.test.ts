import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
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
  for (const key of ['docTitle', 'issuer', 'issuerFull', 'docNumber', 'date', 'region', 'sectionPath'])
    assert.ok(key in out.passages[0], key);
  assert.equal(out.passages[0].department, '信息通信发展司');
  assert.equal(out.passages[0].issuer, '信息通信发展司');
  assert.equal(out.passages[0].region, '全国');
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
  for (const line of lines) for (const p of line.passages) assert.equal(p.issuer, '中小企业局');
});

test('issuers --json lists the four issuers', async () => {
  const { code, stdout } = await runCli(['issuers', '--json'], { env });
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

test('ask prints a cited answer; --json the Answer; stdin one JSON Answer per line', async () => {
  const text = await runCli(['ask', '2021年新建了多少个5G基站？'], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /超60万个\[1\]/);
  assert.match(text.stdout, /\[1\] 信息通信发展司/);
  const json = await runCli(['ask', '--json', '--dept', '中小企业局', '小微企业融资担保有什么政策？'], {
    env,
  });
  const answer = JSON.parse(json.stdout);
  assert.equal(answer.mode, 'extractive');
  assert.equal(answer.citations[0].issuer, '中小企业局');
  const batch = await runCli(['ask'], {
    env,
    input: 'What is planned for 6G research?\nHow do I reset my Slack password?\n',
  });
  const answers = batch.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    answers.map((a: { refused: boolean }) => a.refused),
    [false, true],
  );
});

test('summary accepts fuzzy names and --all; a bad combination is a usage error', async () => {
  const one = await runCli(['summary', 'SME'], { env });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /中小企业局/);
  assert.match(one.stdout, /“稳”字当头，确保中小企业平稳健康发展 \[\d+\]/);
  const all = await runCli(['summary', '--all', '--json'], { env });
  assert.equal(JSON.parse(all.stdout).issuers.length, 4);
  assert.equal((await runCli(['summary'], { env })).code, 2);
  const unknown = await runCli(['summary', 'weather bureau'], { env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Unknown issuer/);
});

test('chat keeps the conversation: a follow-up names only the new issuer', async () => {
  const { code, stdout } = await runCli(['chat'], {
    env,
    input: '信息通信发展司2022年有哪些重点工作？\n那中小企业局呢？\n\n',
  });
  assert.equal(code, 0);
  const answers = stdout
    .split('问 / ask>')
    .map((s) => s.trim())
    .filter(Boolean);
  assert.equal(answers.length, 2, stdout);
  assert.match(answers[1] ?? '', /\[1\] 中小企业局/);
});

test('documents --json lists the library with its metadata; index names what it could not read', async () => {
  const { code, stdout, stderr } = await runCli(['documents', '--json'], { env });
  assert.equal(code, 0, stderr);
  const docs = JSON.parse(stdout);
  assert.equal(docs.length, 1);
  assert.equal(docs[0].meta.title, '落实工作会精神 推动高质量发展');
  assert.deepEqual(
    docs[0].meta.issuers.map((i: { short: string }) => i.short),
    ['科技司', '电子信息司', '信息通信发展司', '中小企业局'],
  );
  assert.equal(docs[0].path, 'miit-2022-work-plans.txt', 'relative to the corpus, no machine path');
});

test('index lists the files it cannot read and indexes the rest; none readable is a failure naming the formats', async () => {
  const corpus = await tempDir();
  await copyFile(join(REPO, 'corpus/miit-2022-work-plans.txt'), join(corpus, 'plan.txt'));
  await writeFile(join(corpus, 'notes.xyz'), 'not a document format');
  await writeFile(
    join(corpus, 'junk.txt'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
  );
  const out = await tempDir();
  const ok = await runCli(['index', '--corpus', corpus, '--out', out], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Not indexed: junk\.txt — binary data/);
  assert.match(ok.stdout, /Not indexed: notes\.xyz — unsupported format \.xyz/);
  assert.match(ok.stdout, /Indexed 1 document\(s\)/);
  assert.match(ok.stdout, /2 file\(s\) could not be read/);

  const none = await tempDir();
  await writeFile(join(none, 'notes.xyz'), 'x');
  const failed = await runCli(['index', '--corpus', none, '--out', await tempDir()], { env });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /No readable document .*supported formats: .*\.txt/);
});
