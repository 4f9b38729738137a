import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors/index.js';
import { corpusFiles, discoverSuites, docIdOf, readEvalFile, readSuite } from '../../src/eval/eval-sets.js';
import { REPO } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const lines = (...rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('evaluation files', () => {
  it('reads the seed, the dev and the list formats from one file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      `${lines(
        {
          id: 'p01',
          q: '科技司要做什么？',
          dept: '科技司',
          evidence: '培育建设一批国家制造业创新中心',
          lang: 'zh',
        },
        { id: 'n01', q: 'How do I reset my password?', dept: null, evidence: null, lang: 'en' },
        {
          q: '四川今年经济增速？',
          lang: 'zh',
          kind: 'cross-doc',
          doc: 'report-2026-sichuan.txt',
          evidence: '增长5.5%左右',
        },
        { q: '湖北呢？', lang: 'zh', kind: 'negative', doc: null, evidence: null },
        {
          q: '需要哪些条件？',
          lang: 'zh',
          kind: 'list',
          scope: 'multi-doc',
          doc: ['a.html', 'b.md'],
          section: '第二章',
          items: [{ item: '名称', evidence: '有符合规定的名称' }],
        },
      )}\n`,
    );
    const set = await readEvalFile(file);
    assert.deepEqual(
      set.questions.map((q) => [q.id, q.kind, q.docs, q.evidence === null]),
      [
        ['p01', 'direct', [], false],
        ['n01', 'negative', [], true],
        ['mixed:3', 'cross-doc', ['report-2026-sichuan.txt'], false],
        ['mixed:4', 'negative', [], true],
      ],
    );
    assert.equal(set.lists.length, 1);
    assert.deepEqual(set.lists[0]?.docs, ['a.html', 'b.md']);
    assert.equal(set.lists[0]?.id, 'mixed:5');
    assert.equal(set.lists[0]?.items[0]?.evidence, '有符合规定的名称');
  });

  it('names the file and line of a bad question', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.jsonl');
    await writeFile(
      file,
      lines({ q: 'ok', lang: 'zh', evidence: null }, { q: 'no language', evidence: 'x' }),
    );
    await assert.rejects(
      readEvalFile(file),
      (e: unknown) => e instanceof UsageError && /bad\.jsonl:2: .*lang/.test(e.message),
    );
    await writeFile(file, '{not json\n');
    await assert.rejects(readEvalFile(file), /bad\.jsonl:1: not JSON/);
    await writeFile(file, lines({ q: 'x', lang: 'zh', kind: 'list', scope: 'one-doc', items: [] }));
    await assert.rejects(readEvalFile(file), /not a list question/);
  });

  it("reads every one of the repository's evaluation files", async () => {
    for (const suite of await discoverSuites(join(REPO, 'eval'))) {
      for (const file of suite.files) {
        const set = await readEvalFile(file);
        assert.ok(set.questions.length + set.lists.length > 0, file);
      }
    }
  });
});

describe('suites', () => {
  it('finds the folders with a suite.json, in name order, paths relative to the folder', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'b-suite', 'docs'), { recursive: true });
    await mkdir(join(root, 'a-suite'), { recursive: true });
    await mkdir(join(root, 'not-a-suite'), { recursive: true });
    await writeFile(
      join(root, 'b-suite', 'suite.json'),
      JSON.stringify({ corpus: 'docs', qa: 'qa.jsonl', lists: 'l.jsonl' }),
    );
    await writeFile(
      join(root, 'a-suite', 'suite.json'),
      JSON.stringify({ name: 'first', corpus: '../b-suite/docs', qa: 'q.jsonl' }),
    );
    const suites = await discoverSuites(root);
    assert.deepEqual(
      suites.map((s) => s.name),
      ['first', 'b-suite'],
    );
    assert.equal(suites[1]?.corpusDir, join(root, 'b-suite', 'docs'));
    assert.deepEqual(suites[1]?.files, [join(root, 'b-suite', 'qa.jsonl'), join(root, 'b-suite', 'l.jsonl')]);
    assert.equal(suites[0]?.corpusDir, join(root, 'b-suite', 'docs'));
  });

  it('refuses a suite.json without a corpus or question file', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'suite.json'), JSON.stringify({ corpus: 'docs' }));
    await assert.rejects(readSuite(root), /names no question file/);
    await writeFile(join(root, 'suite.json'), JSON.stringify({ qa: 'qa.jsonl' }));
    await assert.rejects(readSuite(root), /corpus/);
    await assert.rejects(discoverSuites(join(root, 'missing')), /cannot read the suites folder/);
  });
});

describe('document ids of question files', () => {
  it('maps file names to ids as the corpus reader does, hidden files left out', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sub'));
    for (const f of ['a.html', 'x.txt', 'x.md', 'sub/b.pdf', '.hidden.txt'])
      await writeFile(join(dir, f), 'text');
    const ids = await corpusFiles(dir);
    assert.deepEqual(
      [...ids],
      [
        ['a.html', 'a'],
        ['sub/b.pdf', 'sub/b'],
        ['x.md', 'x.md'],
        ['x.txt', 'x.txt'],
      ],
    );
    assert.equal(docIdOf('x.md', ids), 'x.md');
    assert.equal(docIdOf('sub/b.pdf', ids), 'sub/b');
    assert.equal(docIdOf('unknown.html', ids), 'unknown');
  });
});
