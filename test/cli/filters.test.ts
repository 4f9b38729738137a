/** `--doc`, `--issuer` (`--dept`), `--year` on retrieve and ask, and `summary --doc/--issuer`, through the built CLI. */
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
    POLICYBOT_CORPUS_DIR: join(REPO, 'eval/corpus-dev/docs'),
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(REPO, 'test/.tmp/tiny-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_OCR: 'off',
  };
  const built = await runCli(['index'], { env });
  assert.equal(built.code, 0, built.stderr);
});

interface PassageJson {
  doc: string;
  issuerFull: string | null;
  docNumber: string | null;
  date: string | null;
}

async function retrieve(args: string[]): Promise<PassageJson[]> {
  const out = await runCli(['retrieve', '--json', '--k', '5', ...args], { env });
  assert.equal(out.code, 0, out.stderr);
  return (JSON.parse(out.stdout) as { passages: PassageJson[] }).passages;
}

test('retrieve --doc takes a 文号 or a title and keeps to that document', async () => {
  for (const doc of ['国办发〔2019〕4号', '三级公立医院绩效考核']) {
    const passages = await retrieve(['--doc', doc, '工作要求']);
    assert.ok(passages.length > 0, doc);
    for (const p of passages) assert.equal(p.docNumber, '国办发〔2019〕4号', doc);
  }
});

test('retrieve --issuer and its alias --dept keep to the issuer; --year to documents of that year', async () => {
  for (const flag of ['--issuer', '--dept']) {
    const passages = await retrieve([flag, '浙江省人民政府', '经济增长目标']);
    assert.ok(passages.length > 0);
    for (const p of passages) assert.equal(p.issuerFull, '浙江省人民政府', flag);
  }
  const of2019 = await retrieve(['--year', '2019', '工作任务']);
  assert.ok(of2019.length > 0);
  for (const p of of2019) assert.ok(p.date?.startsWith('2019') || p.docNumber?.includes('2019'), p.doc);
});

test('ask --year with a year no document is about is refused, naming the years covered', async () => {
  const out = await runCli(['ask', '--json', '--year', '1990', '经济增长目标是多少？'], { env });
  assert.equal(out.code, 0, out.stderr);
  const answer = JSON.parse(out.stdout) as { refused: boolean; text: string; citations: unknown[] };
  assert.equal(answer.refused, true);
  assert.equal(answer.citations.length, 0);
  assert.match(answer.text, /1990/u);
});

test('bad filters are usage or user errors with a one-line message', async () => {
  const year = await runCli(['ask', '--year', 'soon', '问题'], { env });
  assert.equal(year.code, 2);
  assert.match(year.stderr, /--year must be a year/u);
  const doc = await runCli(['retrieve', '--doc', '没有这份文件', '问题'], { env });
  assert.equal(doc.code, 1);
  assert.match(doc.stderr, /No document matches "没有这份文件"/u);
});

test('summary --doc and --issuer say which the name is; a target alone is resolved', async () => {
  const byDoc = await runCli(['summary', '--json', '--doc', '国令第706号'], { env });
  assert.equal(byDoc.code, 0, byDoc.stderr);
  const summary = JSON.parse(byDoc.stdout) as { document?: { docNumber: string }; text: string };
  assert.equal(summary.document?.docNumber, '国令第706号');
  const byIssuer = await runCli(['summary', '--issuer', '国务院办公厅'], { env });
  assert.equal(byIssuer.code, 0, byIssuer.stderr);
  assert.match(byIssuer.stdout, /国办发〔2019〕3号/u);
  const target = await runCli(['summary', '国办发〔2019〕3号'], { env });
  assert.match(target.stdout, /^《.+》（国办发〔2019〕3号/mu);
  assert.equal((await runCli(['summary', '--doc', 'x', '--issuer', 'y'], { env })).code, 2);
});
