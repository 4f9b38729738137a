import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { UnknownDocumentError, UnknownIssuerError } from '../../src/errors/index.js';
import type { Summary } from '../../src/types.js';
import { createLibraryEngine } from '../helpers/engine.js';

let engine: Engine;
before(async () => {
  engine = await createLibraryEngine('document-summary');
});
after(() => engine?.close());

/** Every bullet cites, every citation is verbatim at its offsets in its document. */
function assertCited(summary: Summary): void {
  assert.ok(summary.citations.length > 0, 'has citations');
  for (const c of summary.citations) {
    const doc = engine.index.documents.find((d) => d.id === c.doc);
    assert.ok(doc, c.doc);
    assert.equal(doc.cleanedText.slice(c.start, c.end), c.quote, `[${c.n}] verbatim at its offsets`);
    assert.ok(c.passage.includes(c.quote));
  }
  for (const part of summary.issuers)
    for (const section of part.sections)
      for (const b of section.bullets) {
        assert.ok(b.citations.length > 0, `cited: ${b.text}`);
        for (const n of b.citations) assert.ok(summary.citations.some((c) => c.n === n));
      }
}

function docBy(docNumber: string) {
  const doc = engine.documents().find((d) => d.meta.docNumber === docNumber);
  assert.ok(doc, docNumber);
  return doc;
}

describe('document summaries', () => {
  it('a 文号 gives the document: one cited bullet per main section, in order', async () => {
    const doc = docBy('国办发〔2019〕3号');
    const summary = await engine.summary('国办发〔2019〕3号');
    assert.equal(summary.document?.id, doc.id);
    assert.equal(summary.document?.docNumber, '国办发〔2019〕3号');
    const [main] = summary.issuers[0]?.sections ?? [];
    assert.ok(main);
    assert.deepEqual(
      main.bullets.map((b) => b.text.split('：')[0]),
      doc.sections.map((s) => s.replace(/[\s\u3000]+/gu, ' ')),
    );
    assert.ok(summary.citations.every((c) => c.doc === doc.id));
    assertCited(summary);
    assert.match(summary.text, /^《.+》（国办发〔2019〕3号/u);
  });

  it('the same 文号 with other brackets, a title, a title fragment and an id name the same document', async () => {
    const id = docBy('国办发〔2019〕3号').id;
    for (const name of ['国办发[2019]3号', '国办发(2019)3号', id]) {
      assert.equal((await engine.summary(name)).document?.id, id, name);
    }
    const patent = docBy('国令第706号');
    assert.equal((await engine.summary(patent.meta.title)).document?.id, patent.id);
    assert.equal((await engine.summary(patent.meta.title, { target: 'document' })).document?.id, patent.id);
  });

  it('a section of goals or tasks has its sub-sections listed, each cited', async () => {
    const report = engine.documents().find((d) => d.id.includes('henan'));
    assert.ok(report);
    const summary = await engine.summary(report.id, { target: 'document' });
    const sections = summary.issuers[0]?.sections ?? [];
    const tasks = sections.find((s) => /重点工作/u.test(s.heading));
    assert.ok(tasks, sections.map((s) => s.heading).join(' | '));
    assert.ok(tasks.bullets.length >= 5);
    for (const b of tasks.bullets) assert.match(b.text, /^（[一二三四五六七八九十]+）/u);
    assertCited(summary);
  });

  it('a regulation in chapters lists its chapters', async () => {
    const patent = docBy('国令第706号');
    const summary = await engine.summary('国令第706号');
    const bullets = summary.issuers[0]?.sections[0]?.bullets ?? [];
    assert.equal(bullets.length, patent.sections.length);
    for (const [i, b] of bullets.entries()) assert.match(b.text, new RegExp(`^第${'一二三四五'[i]}章`, 'u'));
    assertCited(summary);
  });

  it('an unknown document is a user error naming documents; an unknown name names issuers', async () => {
    await assert.rejects(engine.summary('不存在的文件名称', { target: 'document' }), UnknownDocumentError);
    await assert.rejects(engine.summary('火星事务管理局'), UnknownIssuerError);
  });
});

describe('issuer summaries over a library', () => {
  it('an issuer of several documents: its documents, one cited line each', async () => {
    const own = engine.documents().filter((d) => d.meta.issuers.some((i) => i.full === '国务院办公厅'));
    assert.ok(own.length >= 3);
    const summary = await engine.summary('国务院办公厅');
    assert.equal(summary.issuer?.full, '国务院办公厅');
    assert.equal(summary.document, undefined);
    const lines = summary.issuers.flatMap((p) => p.sections.flatMap((s) => s.bullets));
    assert.equal(lines.length, own.length);
    for (const doc of own) {
      const line = lines.find((b) => b.text.startsWith(`《${doc.meta.title}》`));
      assert.ok(line, doc.meta.title);
      const cited = summary.citations.find((c) => c.n === line.citations[0]);
      assert.equal(cited?.doc, doc.id, `${doc.meta.title}: cites its own document`);
    }
    assertCited(summary);
  });

  it('/policy summary 国务院 resolves the issuer, not a document whose title holds the name', async () => {
    const summary = await engine.summary('国务院');
    assert.equal(summary.issuer?.full, '国务院');
    assertCited(summary);
  });
});

describe('questions about what a document says', () => {
  it('"…讲了什么？" is answered from the named document\'s summary', async () => {
    const patent = docBy('国令第706号');
    const answer = await engine.answer({ text: `${patent.meta.title}讲了什么？`, requestId: 't1' });
    assert.equal(answer.refused, false);
    assert.ok(answer.text.startsWith(`《${patent.meta.title}》`), answer.text);
    assert.ok(answer.citations.length >= 3);
    assert.ok(answer.citations.every((c) => c.doc === patent.id));
  });

  it('a question on a topic of the document is not an overview', async () => {
    const patent = docBy('国令第706号');
    const answer = await engine.answer({
      text: `${patent.meta.title}对专利代理机构的执业许可有什么规定？`,
      requestId: 't2',
    });
    assert.doesNotMatch(answer.text, /主要内容/u);
  });
});
