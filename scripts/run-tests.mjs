#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (through tsx), after generating the tiny test model.
// Usage: node scripts/run-tests.mjs [substring ...]   — only files whose path contains one of the substrings.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = collect('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const model = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'scripts/make-tiny-model.ts', 'test/.tmp/tiny-model'],
  {
    stdio: 'inherit',
  },
);
if (model.status !== 0) process.exit(model.status ?? 1);

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...files],
  { stdio: 'inherit', env: { ...process.env, POLICYBOT_TEST: '1' } },
);
process.exit(result.status ?? 1);
