import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI, runCli } from '../../helpers/cli.js';
import { ensureTinyModel } from '../../helpers/engine.js';
import { tempDir } from '../../helpers/temp-dir.js';

let env: Record<string, string>;

before(async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` before the CLI tests');
  const root = await tempDir();
  env = {
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
});

test('figures --json: every figure of the seed with its quote and offsets', async () => {
  const { code, stdout, stderr } = await runCli(['figures', '--json'], { env });
  assert.equal(code, 0, stderr);
  const figures = JSON.parse(stdout);
  assert.equal(figures.length, 12);
  const bases = figures.find((f: { valueText: string }) => f.valueText === '60万个');
  assert.deepEqual(
    [bases.kind, bases.status, bases.year, bases.issuer, bases.quote],
    ['count', 'result', 2021, '信息通信发展司', '新建5G基站超60万个'],
  );
});

test('figures narrows by issuer (positional or --issuer), year, status and words', async () => {
  const positional = await runCli(['figures', '中小企业局', '--year', '2022'], { env });
  assert.equal(positional.code, 0, positional.stderr);
  const lines = positional.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? '', /2022 目标 .*3000家左右/);
  const json = await runCli(['figures', '--issuer', 'SME', '--status', 'result', '--json'], { env });
  assert.deepEqual(
    JSON.parse(json.stdout).map((f: { valueText: string }) => f.valueText),
    ['1万亿元', '2930家', '35亿元', '4万多家'],
  );
  const words = await runCli(['figures', '--query', '虚拟专网'], { env });
  assert.match(words.stdout, /1000个/);
  const none = await runCli(['figures', '--query', '没有这个词'], { env });
  assert.equal(none.stdout.trim(), 'No figures match.');
});

test('figures --csv prints a header and one row per figure, quoted where needed', async () => {
  const { code, stdout } = await runCli(['figures', '--doc', 'miit-2022-work-plans', '--csv'], { env });
  assert.equal(code, 0);
  const rows = stdout.trim().split('\r\n');
  assert.equal(
    rows[0],
    'doc,issuer,section,kind,status,year,subject,value,unit,number,qualifier,change,quote,start,end',
  );
  assert.equal(rows.length, 13);
});

test('figures: bad options are usage errors (exit 2, one line)', async () => {
  for (const args of [
    ['--year', '22'],
    ['--kind', 'money'],
    ['--json', '--csv'],
  ]) {
    const { code, stderr } = await runCli(['figures', ...args], { env });
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr.trim().split('\n').at(-1) ?? '', /^policybot: /);
  }
  const unknown = await runCli(['figures', '--issuer', '外交部礼宾司'], { env });
  assert.equal(unknown.code, 1);
});
