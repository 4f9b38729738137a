/**
 * `policybot eval` end to end through the built CLI: suites from suite.json, each with its own cached index,
 * one table on stdout, progress on stderr; documents that cannot be loaded reported, not fatal; --model with
 * the generated tiny TEST model.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI, REPO, runCli } from '../helpers/cli.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { tempDir } from '../helpers/temp-dir.js';

let root: string;
/** Keyword-only, as `npm start` runs without a model; nothing is fetched. */
let env: Record<string, string>;

before(async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` before the CLI tests');
  root = await tempDir();
  env = {
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(root, 'no-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
});

interface Row {
  suite: string;
  kind: string;
  lang: string;
  n: number;
  recallAt1: number | null;
  recallAtK: number | null;
  containment: number | null;
  phantoms: number;
  negativesRefused: { count: number; of: number } | null;
}

test('eval --suite eval/seed prints one table, caches the suite index and reuses it', async () => {
  const first = await runCli(['eval', '--suite', join(REPO, 'eval/seed')], { env });
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.split('\n');
  const header = lines.find((l) => l.startsWith('| suite'));
  assert.ok(header, first.stdout);
  for (const column of [
    'R@1',
    'R@5',
    'MRR',
    'doc@1',
    'contain',
    'cite P',
    'item R',
    'item P',
    'false ref',
    'neg ref',
    'phantom',
    'heading',
    'len',
  ])
    assert.ok(header.includes(column), column);
  assert.ok(
    lines.some((l) => /^\| seed +\| direct +\| zh +\| +15 \|/.test(l)),
    first.stdout,
  );
  assert.ok(
    lines.some((l) => /^\| seed +\| negative +\| all +\| +2 \|/.test(l)),
    first.stdout,
  );
  assert.match(
    first.stdout,
    /seed: corpus, 1 document\(s\) indexed from 1 file\(s\); keyword-only retrieval; extractive answers/,
  );
  assert.match(first.stdout, /Phantom citations: 0 in 20 answers/);
  // Progress and warnings go to stderr, so stdout is only the report.
  assert.match(first.stderr, /eval seed: 20 questions, 0 list questions/);
  assert.match(first.stderr, /KEYWORD-ONLY/);
  assert.doesNotMatch(first.stdout, /KEYWORD-ONLY|eval seed:/);
  assert.ok(existsSync(join(root, 'embeddings', 'eval', 'seed', 'index', 'manifest.json')));
  assert.match(first.stdout, /index .*eval\/seed\/index rebuilt/);

  const second = await runCli(['eval', '--suite', join(REPO, 'eval/seed'), '--json'], { env });
  assert.equal(second.code, 0, second.stderr);
  const report = JSON.parse(second.stdout);
  assert.equal(report.suites[0].index, 'up to date');
  assert.equal(report.suites[0].retrieval, 'keyword-only');
  const rows: Row[] = report.rows;
  const zh = rows.find((r) => r.kind === 'direct' && r.lang === 'zh');
  assert.equal(zh?.n, 15);
  assert.ok((zh?.recallAt1 ?? 0) >= 0.9, JSON.stringify(zh));
  assert.ok((zh?.containment ?? 0) >= 0.9, JSON.stringify(zh));
  assert.deepEqual(rows.find((r) => r.kind === 'negative' && r.lang === 'all')?.negativesRefused, {
    count: 2,
    of: 2,
  });
  assert.equal(report.phantoms, 0);
  assert.equal(report.suites[0].results.questions.length, 20);
});

test('a document that cannot be loaded is reported, and the questions needing it are counted', async () => {
  const suite = join(root, 'small');
  await mkdir(join(suite, 'docs'), { recursive: true });
  await copyFile(join(REPO, 'corpus/miit-2022-work-plans.txt'), join(suite, 'docs', 'plans.txt'));
  await writeFile(
    join(suite, 'docs', 'broken.pdf'),
    Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x13, 0x37]),
  );
  await writeFile(
    join(suite, 'qa.jsonl'),
    [
      {
        q: '小微企业融资担保有什么政策？',
        lang: 'zh',
        kind: 'direct',
        doc: 'plans.txt',
        evidence: '继续实施小微企业融资担保降费奖补政策',
      },
      {
        q: '这份PDF规定了什么？',
        lang: 'zh',
        kind: 'direct',
        doc: 'broken.pdf',
        evidence: '一段不存在的文字内容在这里',
      },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  await writeFile(
    join(suite, 'lists.jsonl'),
    `${JSON.stringify({
      q: '中小企业局2022年的四个“着力”是什么？',
      lang: 'zh',
      kind: 'list',
      scope: 'one-doc',
      doc: 'plans.txt',
      section: null,
      items: [
        { item: '减轻负担', evidence: '着力减轻企业负担' },
        { item: '增加实惠', evidence: '着力增加企业实惠' },
        { item: '保护权益', evidence: '着力保护企业权益' },
        { item: '政策研究', evidence: '着力加强政策研究' },
      ],
    })}\n`,
  );
  await writeFile(
    join(suite, 'suite.json'),
    JSON.stringify({ corpus: 'docs', qa: 'qa.jsonl', lists: 'lists.jsonl' }),
  );
  const { code, stdout, stderr } = await runCli(['eval', '--suite', suite], { env });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /small: .*1 document\(s\) indexed from 2 file\(s\)/);
  assert.match(stdout, /1 document\(s\) not loaded: broken\.pdf\./);
  assert.match(stdout, /1 question\(s\) and 0 list question\(s\) need a document that is not loaded/);
  assert.ok(
    stdout.split('\n').some((l) => /^\| small +\| list one-doc +\| zh +\| +1 \|/.test(l)),
    stdout,
  );

  // The same files ad hoc, over POLICYBOT_CORPUS_DIR and the configured index.
  const adHoc = await runCli(
    ['eval', '--qa', join(suite, 'qa.jsonl'), '--lists', join(suite, 'lists.jsonl'), '--json'],
    {
      env: { ...env, POLICYBOT_CORPUS_DIR: join(suite, 'docs') },
    },
  );
  assert.equal(adHoc.code, 0, adHoc.stderr);
  const report = JSON.parse(adHoc.stdout);
  assert.deepEqual(report.suites[0].documents.notLoaded, ['broken.pdf']);
  assert.equal(report.suites[0].indexDir, join(root, 'embeddings', 'index'));
  const [found, missing] = report.suites[0].results.questions;
  assert.equal(found.rank, 1);
  assert.equal(found.docRank, 1);
  assert.equal(missing.docRank, null);
  const listed = report.suites[0].results.lists[0];
  assert.equal(listed.items, 4);
});

test('eval --model DIR runs dense retrieval with that directory and labels the TEST model', async () => {
  const model = ensureTinyModel();
  const { code, stdout, stderr } = await runCli(
    ['eval', '--suite', join(REPO, 'eval/seed'), '--model', model, '--json'],
    {
      env,
    },
  );
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.suites[0].retrieval, 'hybrid');
  assert.equal(report.suites[0].model, model);
  assert.equal(report.suites[0].modelNote, 'TEST MODEL with random weights');
  assert.match(stderr, /TEST EMBEDDING MODEL/);
  const text = await runCli(['eval', '--suite', join(REPO, 'eval/seed'), '--model', model], { env });
  assert.match(text.stdout, /hybrid with .*tiny-model \(TEST MODEL with random weights\) retrieval/);
  assert.match(text.stdout, /index .* up to date/);
});

test('usage errors exit 2 with one line', async () => {
  const none = await runCli(['eval'], { env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give --qa FILE, --lists FILE, --suite DIR or --suites DIR/);
  const badModel = await runCli(['eval', '--suite', join(REPO, 'eval/seed'), '--model', join(root, 'nope')], {
    env,
  });
  assert.equal(badModel.code, 2);
  assert.match(badModel.stderr, /--model .*: not a directory/);
  const noSuite = await runCli(['eval', '--suite', root], { env });
  assert.equal(noSuite.code, 2);
  assert.match(noSuite.stderr, /suite\.json/);
});
