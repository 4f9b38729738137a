import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/errors/index.js';
import { loadCorpus, loadDocument } from '../../src/ingest/load-corpus.js';
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
    await writeFile(join(dir, 'notes.pdf'), 'unsupported');
    // GBK bytes for "国家。" — older government files are often not UTF-8.
    await writeFile(join(dir, 'd-gbk.txt'), Buffer.from([0xb9, 0xfa, 0xbc, 0xd2, 0xa1, 0xa3]));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads supported files recursively, sorted, skipping README, hidden and unknown files', async () => {
    const docs = await loadCorpus(dir);
    assert.deepEqual(
      docs.map((d) => [d.id, d.format]),
      [
        ['a-plan', 'md'],
        ['b-plan', 'txt'],
        ['d-gbk', 'txt'],
        ['sub/c-plan', 'txt'],
      ],
    );
  });

  it('decodes text: BOM stripped, CRLF → LF, GBK fallback; hashes the raw bytes', async () => {
    const docs = await loadCorpus(dir);
    const b = docs.find((d) => d.id === 'b-plan');
    assert.equal(b?.text, '标题\n\n正文。\n');
    const raw = Buffer.from('\uFEFF标题\r\n\r\n正文。\r\n');
    assert.equal(b?.contentHash, createHash('sha256').update(raw).digest('hex'));
    assert.equal(docs.find((d) => d.id === 'd-gbk')?.text, '国家。');
  });

  it('throws CorpusEmpty for a directory without documents and CorpusUnreadable for a missing one', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'README.txt'), 'x');
    await assert.rejects(loadCorpus(empty), { code: ErrorCode.CorpusEmpty });
    await assert.rejects(loadCorpus(join(dir, 'missing')), { code: ErrorCode.CorpusUnreadable });
    await assert.rejects(loadDocument(join(dir, 'notes.pdf')), { code: ErrorCode.CorpusUnreadable });
  });

  it('loads the seed page with an id from its file name', async () => {
    const doc = await loadDocument(SEED_PATH);
    assert.equal(doc.id, 'miit-2022-work-plans');
    assert.equal(doc.format, 'txt');
    assert.ok(doc.text.includes('工业和信息化部科技司'));
  });
});
