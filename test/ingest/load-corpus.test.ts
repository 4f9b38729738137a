import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/errors/index.js';
import { documentIds, loadCorpus, loadDocument } from '../../src/ingest/load-corpus.js';
import { mulberry32 } from '../../src/internal/prng.js';
import { SEED_PATH } from './seed.js';

describe('loadCorpus', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policybot-corpus-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'b-plan.txt'), '\uFEFF标题\r\n\r\n正文。\r\n');
    await writeFile(join(dir, 'a-plan.md'), '# 标题\n\n正文。\n');
    await writeFile(join(dir, 'sub', 'c-plan.TXT'), '子目录。');
    await writeFile(join(dir, 'README.md'), '# not a document');
    await writeFile(join(dir, '.hidden.txt'), 'hidden');
    await writeFile(join(dir, 'notes.xyz'), 'unsupported');
    await writeFile(join(dir, 'empty.txt'), '');
    // GBK bytes for "国家。" — older government files are often not UTF-8.
    await writeFile(join(dir, 'd-gbk.txt'), Buffer.from([0xb9, 0xfa, 0xbc, 0xd2, 0xa1, 0xa3]));
    // 1 MB of random bytes named .txt must not become thousands of junk chunks.
    const random = mulberry32(7);
    await writeFile(
      join(dir, 'random.txt'),
      Buffer.from(Array.from({ length: 1 << 20 }, () => Math.floor(random() * 256))),
    );
    // Same stem, two formats: both are documents with distinct ids.
    await writeFile(join(dir, 'same.txt'), '纯文本。');
    await writeFile(join(dir, 'same.md'), '# 标记\n\n正文。');
    await writeFile(
      join(dir, 'same.md.meta.json'),
      JSON.stringify({ issuer: '国务院', docNumber: '国发〔2019〕3号' }),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads readable files recursively, sorted; lists the others with their reason', async () => {
    const { documents, failures } = await loadCorpus(dir);
    assert.deepEqual(
      documents.map((d) => [d.id, d.format]),
      [
        ['a-plan', 'md'],
        ['b-plan', 'txt'],
        ['d-gbk', 'txt'],
        ['same.md', 'md'],
        ['same.txt', 'txt'],
        ['sub/c-plan', 'txt'],
      ],
    );
    assert.deepEqual(
      failures.map((f) => [f.path, f.reason]),
      [
        ['empty.txt', 'empty'],
        ['notes.xyz', 'unsupported-format'],
        ['random.txt', 'binary'],
      ],
    );
    assert.match(failures[1]?.message ?? '', /unsupported format \.xyz; supported: .*\.txt .*\.md/);
  });

  it('decodes text: BOM stripped, CRLF → LF, GBK fallback; hashes the raw bytes', async () => {
    const { documents } = await loadCorpus(dir);
    const b = documents.find((d) => d.id === 'b-plan');
    assert.equal(b?.text, '标题\n\n正文。\n');
    const raw = Buffer.from('\uFEFF标题\r\n\r\n正文。\r\n');
    assert.equal(b?.contentHash, createHash('sha256').update(raw).digest('hex'));
    assert.equal(documents.find((d) => d.id === 'd-gbk')?.text, '国家。');
  });

  it('takes a sidecar <file>.meta.json as stated metadata that wins', async () => {
    const { documents } = await loadCorpus(dir);
    const md = documents.find((d) => d.id === 'same.md');
    assert.deepEqual(md?.stated, { issuers: ['国务院'], docNumber: '国发〔2019〕3号' });
    assert.equal(md?.statedOrigin, 'sidecar');
  });

  it('changes the content hash when a sidecar is added or edited, so the index is rebuilt', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'policybot-sidecar-'));
    await writeFile(join(folder, 'a.txt'), '正文。');
    const hash = async () => (await loadCorpus(folder)).documents[0]?.contentHash;
    const bare = await hash();
    await writeFile(join(folder, 'a.txt.meta.json'), '{"docNumber": "国发〔2019〕3号"}');
    const first = await hash();
    await writeFile(join(folder, 'a.txt.meta.json'), '{"docNumber": "国发〔2019〕4号"}');
    const second = await hash();
    assert.notEqual(first, bare);
    assert.notEqual(second, first);
    assert.ok(first?.startsWith(`${bare}+meta:`));
    await rm(folder, { recursive: true, force: true });
  });

  it('names a bad sidecar instead of ignoring it', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'policybot-sidecar-'));
    await writeFile(join(bad, 'a.txt'), '正文。');
    await writeFile(join(bad, 'b.txt'), '正文。');
    await writeFile(join(bad, 'b.txt.meta.json'), '{"title": 3}');
    const { documents, failures } = await loadCorpus(bad);
    assert.deepEqual(
      documents.map((d) => d.id),
      ['a'],
    );
    assert.equal(failures[0]?.reason, 'corrupt');
    assert.match(failures[0]?.message ?? '', /sidecar b\.txt\.meta\.json is invalid/);
    await rm(bad, { recursive: true, force: true });
  });

  it('throws CorpusEmpty (naming the formats) without a readable document, CorpusUnreadable for a missing folder', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'README.txt'), 'x');
    await writeFile(join(empty, 'scan.xyz'), 'x');
    await assert.rejects(loadCorpus(empty), (error: Error & { code?: string }) => {
      assert.equal(error.code, ErrorCode.CorpusEmpty);
      assert.match(
        error.message,
        /No readable document .*\(1 file\(s\) could not be read\); supported formats: /,
      );
      assert.match(error.message, /\n {2}scan\.xyz: unsupported format \.xyz/, 'each file with its reason');
      return true;
    });
    await assert.rejects(loadCorpus(join(dir, 'missing')), { code: ErrorCode.CorpusUnreadable });
    await assert.rejects(loadDocument(join(dir, 'notes.xyz'), 'notes'), { reason: 'unsupported-format' });
  });

  it('loads the seed page with the id it is given', async () => {
    const doc = await loadDocument(SEED_PATH, 'miit-2022-work-plans');
    assert.equal(doc.id, 'miit-2022-work-plans');
    assert.equal(doc.format, 'txt');
    assert.ok(doc.text.includes('工业和信息化部科技司'));
  });
});

describe('documentIds', () => {
  it('drops the extension unless two files share a stem', () => {
    assert.deepEqual(
      [...documentIds(['a.txt', 'b.md', 'b.txt', 'sub/c.pdf', 'sub/c.docx']).values()],
      ['a', 'b.md', 'b.txt', 'sub/c.pdf', 'sub/c.docx'],
    );
  });
});

describe('loadCorpus with `unchanged` (incremental index updates)', () => {
  it('hashes files the caller holds without decoding them, sidecars included; decodes the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policybot-unchanged-'));
    try {
      await writeFile(join(dir, 'a.txt'), '甲文件。');
      await writeFile(join(dir, 'b.md'), '# 乙\n\n正文。');
      await writeFile(join(dir, 'b.md.meta.json'), JSON.stringify({ issuer: '国务院' }));
      await writeFile(join(dir, 'c.txt'), '丙文件。');
      const first = await loadCorpus(dir);
      assert.deepEqual(first.unchanged, []);
      const held = new Map(first.documents.map((d) => [d.id, d.contentHash]));
      // What the index holds: a and b as they are, c with other content.
      held.set('c', 'another hash');
      const decoded: string[] = [];
      const counting = {
        extensions: ['.txt', '.md'],
        load: (input: { id: string; path: string; bytes: Uint8Array }) => {
          decoded.push(input.id);
          return {
            id: input.id,
            path: input.path,
            format: 'txt' as const,
            text: Buffer.from(input.bytes).toString('utf8'),
            contentHash: createHash('sha256').update(input.bytes).digest('hex'),
          };
        },
      };
      const second = await loadCorpus(dir, {
        loaders: [counting],
        unchanged: (id, hash) => held.get(id) === hash,
      });
      assert.deepEqual(decoded, ['c']);
      assert.deepEqual(
        second.unchanged.map((f) => [f.id, f.path, f.contentHash]),
        [
          ['a', 'a.txt', held.get('a')],
          ['b', 'b.md', held.get('b')],
        ],
      );
      assert.match(held.get('b') ?? '', /\+meta:/, 'the sidecar is part of the hash');
      // An edited sidecar changes the hash: the file is decoded again.
      await writeFile(join(dir, 'b.md.meta.json'), JSON.stringify({ issuer: '国务院办公厅' }));
      decoded.length = 0;
      await loadCorpus(dir, { loaders: [counting], unchanged: (id, hash) => held.get(id) === hash });
      assert.deepEqual(decoded, ['b', 'c']);
      // An invalid sidecar is reported, never skipped as unchanged.
      await writeFile(join(dir, 'b.md.meta.json'), '{not json');
      const broken = await loadCorpus(dir, { unchanged: (id, hash) => held.get(id) === hash });
      assert.deepEqual(
        broken.failures.map((f) => [f.path, f.reason]),
        [['b.md', 'corrupt']],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
