/**
 * `policybot eval` end to end through the built CLI: suites from suite.json, each with its own cached index,
 * one table on stdout, progress on stderr; documents that cannot be loaded reported, not fatal; --model with
 * the generated tiny TEST model; and the LLM answer path, with OPENAI_BASE_URL pointed at the local
 * OpenAI-compatible test server streaming scripted answers.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, REPO, runCli } from '../helpers/cli.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';
import { tempDir } from '../helpers/temp-dir.js';

let root: string;
/** Keyword-only, as `npm start` runs without a model; nothing is fetched. */
let env: Record<string, string>;
let server: OpenAiTestServer;

before(async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` before the CLI tests');
  root = await tempDir();
  env = {
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(root, 'no-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
  server = await startOpenAiServer();
});
after(() => server.close());

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
  // The suite's index is a published snapshot (snapshots.ts): the pointer, and the manifest it names.
  const suiteIndex = join(root, 'embeddings', 'eval', 'seed', 'index');
  const snapshot = readFileSync(join(suiteIndex, 'CURRENT'), 'utf8').trim();
  assert.ok(existsSync(join(suiteIndex, snapshot, 'manifest.json')));
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
  // A suite none of whose documents loads is reported as skipped; the others still run.
  const unreadable = join(root, 'unreadable');
  await mkdir(join(unreadable, 'docs'), { recursive: true });
  await copyFile(join(suite, 'docs', 'broken.pdf'), join(unreadable, 'docs', 'only.pdf'));
  await copyFile(join(suite, 'qa.jsonl'), join(unreadable, 'qa.jsonl'));
  await writeFile(join(unreadable, 'suite.json'), JSON.stringify({ corpus: 'docs', qa: 'qa.jsonl' }));
  const { code, stdout, stderr } = await runCli(['eval', '--suite', unreadable, '--suite', suite], { env });
  assert.equal(code, 0, stderr);
  assert.match(
    stdout,
    /unreadable: SKIPPED, no document of .*docs could be loaded \(1 file\(s\): only\.pdf\)/,
  );
  assert.match(stderr, /eval unreadable: skipped: /);
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

const Q1 = { q: '小微企业融资担保有什么政策？', evidence: '继续实施小微企业融资担保降费奖补政策' };
// A fact question (a list question — 哪类, 哪些 — would get the list path, tested in test/answer/lists/).
const Q2 = { q: '标准体系方面要逐步减少什么标准的数量？', evidence: '逐步减少一般性产品标准数量' };

/** The first retrieved passage, which the engine hands the model as [1]. */
async function firstPassage(question: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['retrieve', '--json', '--k', '1', question], { env });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout).passages[0].text;
}

/*
 * The scripted model invents a phantom citation [9] twice; the answer layer drops those sentences, so eval
 * counts no phantom quote and scores containment on the verified text, not on what the model wrote.
 */
test('eval reports LLM answers: containment of the verified text, phantom citations dropped and counted 0', async () => {
  const passage2 = await firstPassage(Q2.q);
  assert.ok(passage2.includes(Q2.evidence), 'the seed corpus puts the evidence in the first passage');
  // A sentence of passage [1] that does not hold the evidence: the only claim of answer 2 that survives.
  const other = passage2.split('。').find((s) => s.length >= 20 && !s.includes(Q2.evidence));
  assert.ok(other);
  server.enqueue(
    { kind: 'sse', deltas: [`${Q1.evidence}[1]。`, '同时全面取消所有担保收费[9]。'] },
    { kind: 'sse', deltas: [`${other}[1]。`, `另外要${Q2.evidence}[9]。`] },
  );
  const qa = join(root, 'qa.jsonl');
  await writeFile(
    qa,
    [Q1, Q2].map((x) => JSON.stringify({ ...x, lang: 'zh', kind: 'direct', doc: null })).join('\n'),
  );
  const { code, stdout, stderr } = await runCli(['eval', '--qa', qa, '--json'], {
    env: {
      ...env,
      POLICYBOT_CORPUS_DIR: 'corpus',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_MODEL: 'test-model',
    },
  });
  assert.equal(code, 0, stderr);
  assert.equal(server.requests.length, 2, 'one model call per question');
  assert.equal(server.requests[0]?.body.stream, true);
  const report = JSON.parse(stdout);
  assert.equal(report.suites[0].answers, 'llm');
  const [a1, a2] = report.suites[0].results.questions;

  assert.equal(a1.mode, 'llm');
  assert.equal(a1.degraded, false);
  assert.equal(a1.contained, true);
  assert.doesNotMatch(a1.answer, /全面取消|\[9\]/);
  assert.deepEqual(a1.phantoms, []);

  // The model wrote the evidence, but only under the phantom [9]: the verified answer does not hold it.
  assert.equal(a2.mode, 'llm');
  assert.equal(a2.rank, 1);
  assert.equal(a2.contained, false);
  assert.doesNotMatch(a2.answer, /\[9\]/);
  assert.ok(!a2.answer.includes(Q2.evidence), a2.answer);
  assert.deepEqual(a2.phantoms, []);

  assert.equal(report.phantoms, 0);
  const row = report.rows.find((r: { kind: string; lang: string }) => r.kind === 'direct' && r.lang === 'zh');
  assert.equal(row.containment, 0.5);
  assert.equal(row.citationPrecision, 1, 'both kept citations point at the passage holding the evidence');
});
