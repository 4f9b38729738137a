/**
 * The benchmark still runs and writes well-formed results. Benchmarks are not timed tests: nothing here
 * asserts on how fast anything is, only that every number is present and finite.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertFinite(value: unknown, path: string): void {
  assert.equal(typeof value, 'number', `${path} should be a number, got ${JSON.stringify(value)}`);
  assert.ok(Number.isFinite(value), `${path} should be finite, got ${String(value)}`);
}

function assertLatency(value: unknown, path: string): void {
  assert.ok(value && typeof value === 'object', `${path} missing`);
  const l = value as Record<string, unknown>;
  for (const key of ['n', 'p50', 'p99', 'mean', 'max']) assertFinite(l[key], `${path}.${key}`);
  assert.ok((l.n as number) > 0, `${path}.n should be > 0`);
  assert.ok((l.p50 as number) <= (l.p99 as number), `${path}: p50 should not exceed p99`);
}

function assertRun(run: Record<string, unknown>, path: string): void {
  assertFinite(run.chunks, `${path}.chunks`);
  assertFinite(run.sizeMb, `${path}.sizeMb`);
  const build = run.build as Record<string, unknown>;
  for (const key of ['buildMs', 'embedMs', 'vectorsMs', 'keywordMs', 'writeMs'])
    assertFinite(build[key], `${path}.build.${key}`);
  const m = run.measure as Record<string, unknown>;
  assertFinite(m.loadMs, `${path}.measure.loadMs`);
  const memory = m.memory as Record<string, Record<string, unknown>>;
  assertFinite(memory.afterLoad?.rssMb, `${path}.measure.memory.afterLoad.rssMb`);
  for (const key of ['dense', 'keyword', 'hybrid']) assertLatency(m[key], `${path}.measure.${key}`);
  assertFinite(m.hnswRecallAt10, `${path}.measure.hnswRecallAt10`);
  assert.ok((m.hnswRecallAt10 as number) >= 0 && (m.hnswRecallAt10 as number) <= 1);
}

test('bench/run.ts --smoke writes well-formed results and prints the table', {
  timeout: 240_000,
}, async () => {
  const dir = await tempDir('policybot-bench-smoke-');
  const out = join(dir, 'smoke.json');
  const { code, stdout, stderr } = await run(['--smoke', '--out', out]);
  assert.equal(code, 0, `bench exited with ${code}: ${stderr.slice(-2_000)}`);
  assert.match(stdout, /\| section\s+\| metric/);
  assert.match(stdout, /SMOKE RUN/);

  const results = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
  const meta = results.meta as Record<string, unknown>;
  assert.equal(meta.smoke, true);
  assertFinite(meta.cpus, 'meta.cpus');
  assertFinite(meta.durationMs, 'meta.durationMs');

  const seed = results.seed as Record<string, unknown>;
  for (const key of ['chunks', 'buildMs', 'embedChunksPerSecond', 'firstRetrieveMs'])
    assertFinite(seed[key], `seed.${key}`);
  assertLatency(seed.retrieve, 'seed.retrieve');
  assertLatency(seed.ask, 'seed.ask');
  assert.equal(typeof seed.askVia, 'string');
  assertFinite((seed.devQa as Record<string, unknown>).recallAtK, 'seed.devQa.recallAtK');

  const scale = results.scale as Record<string, unknown>[];
  assert.ok(Array.isArray(scale) && scale.length > 0, 'scale runs missing');
  for (const [i, r] of scale.entries()) assertRun(r, `scale[${i}]`);

  const incremental = results.incremental as { output: { steps: Record<string, unknown>[] } }[];
  assert.ok(Array.isArray(incremental) && incremental.length > 0, 'incremental runs missing');
  const steps = incremental[0]?.output.steps ?? [];
  assert.deepEqual(
    steps.map((s) => s.step),
    ['added', 'changed', 'removed'],
  );
  for (const step of steps) {
    assertFinite(step.totalMs, `incremental.${step.step}.totalMs`);
    assert.equal(step.verified, true, `incremental.${step.step}: the update is visible in the index`);
  }

  const poetry = results.poetry as Record<string, unknown>;
  if (poetry.status !== 'not measured') {
    assertRun(poetry, 'poetry');
    const qa = (poetry.measure as Record<string, unknown>).devQa as Record<string, Record<string, unknown>>;
    assertFinite(qa.hybrid?.recallAtK, 'poetry.measure.devQa.hybrid.recallAtK');
    assertFinite(qa.keywordOnly?.recallAtK, 'poetry.measure.devQa.keywordOnly.recallAtK');
  }

  const frontends = results.frontends as Record<string, Record<string, unknown>>;
  for (const name of ['slack', 'wecom', 'web']) {
    const fe = frontends[name];
    assert.ok(fe, `frontends.${name} missing`);
    if (fe.status === 'measured') {
      assertFinite(fe.p50, `frontends.${name}.p50`);
      assertFinite(fe.p99, `frontends.${name}.p99`);
    } else {
      assert.equal(fe.status, 'not measured');
      assert.equal(typeof fe.reason, 'string');
    }
  }

  const formats = results.formats as { loaders: Record<string, unknown>[]; ocr: Record<string, unknown> };
  assert.deepEqual(formats.loaders.map((l) => l.format).sort(), ['docx', 'html', 'md', 'pdf', 'txt']);
  for (const l of formats.loaders) assertFinite(l.msPer1000Chars, `formats.loaders.${String(l.format)}`);
  assert.equal(formats.ocr.status, 'not measured', 'the smoke run does no OCR');

  const targets = results.targets as Record<string, unknown>[];
  assert.ok(targets.length > 0, 'no target rows');
  for (const t of targets) {
    assert.equal(typeof t.metric, 'string');
    assert.equal(typeof t.target, 'string');
    assert.ok(t.met === true || t.met === false || t.met === null, `targets: met is ${String(t.met)}`);
  }
});

test('bench/run.ts rejects an unknown --only section', async () => {
  const { code, stderr } = await run(['--smoke', '--only', 'nonsense']);
  assert.notEqual(code, 0);
  assert.match(stderr, /--only takes seed\|scale\|[a-z|-]+ \(comma-separated\), got "nonsense"/);
});
