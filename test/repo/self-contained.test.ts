/**
 * A clone from a code host has only this repository: no code, test, script or package script may reach
 * outside it for data (the development corpora that live beside the repo on the build machine are copied
 * into eval/ and test/fixtures/ instead).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHECKED_DIRS = ['src', 'test', 'bench', 'scripts', '.ci'];
const CODE = /\.(?:[cm]?[jt]s|json|sh|html)$|^run$/;
// Built from pieces so that this file does not match itself.
const SHARED = ['..', ['sha', 'red'].join('')];
const PATTERNS = [
  new RegExp(`\\.\\.[\\\\/]${SHARED[1]}\\b`),
  new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SHARED[1]}['"]`),
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === '.tmp' || name === '.cache') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : CODE.test(name) ? [path] : [];
  });
}

describe('the repository is self-contained', () => {
  it(`no file in ${CHECKED_DIRS.join(', ')} refers to ${SHARED.join('/')}`, () => {
    const offenders = CHECKED_DIRS.flatMap((d) => files(join(ROOT, d))).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return PATTERNS.some((p) => p.test(text));
    });
    assert.deepEqual(offenders, []);
  });

  it('no package.json script refers to it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const offenders = Object.entries(pkg.scripts).filter(([, cmd]) => PATTERNS.some((p) => p.test(cmd)));
    assert.deepEqual(offenders, []);
  });

  it('the pattern catches the forms it is meant to catch', () => {
    for (const sample of [`'${SHARED.join('/')}/eval/x.jsonl'`, `join(ROOT, '..', '${SHARED[1]}', 'x')`]) {
      assert.ok(
        PATTERNS.some((p) => p.test(sample)),
        sample,
      );
    }
  });
});
