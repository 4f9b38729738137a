import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { loadIndex } from '../../src/index/load-index.js';
import type { StructuredDocument } from '../../src/types.js';
import { createLibraryEngine } from '../helpers/engine.js';

let engine: Engine;
before(async () => {
  engine = await createLibraryEngine('start');
});
after(() => engine.close());

/** Documents whose paragraphs or sections have been made from the stored rows (see compact-store.ts). */
function made(documents: readonly StructuredDocument[], key: 'paragraphs' | 'sections'): number {
  return documents.filter((d) => !Object.getOwnPropertyDescriptor(d, key)?.get).length;
}

test('starting the engine makes no document structure; answering makes only what the answer reads', async () => {
  const { documents } = engine.index;
  assert.ok(documents.length >= 10);
  assert.equal(made(documents, 'paragraphs'), 0, 'no paragraphs made at start');
  assert.equal(made(documents, 'sections'), 0, 'no sections made at start');
  const answer = await engine.answer({ text: '修订后的专利代理条例从哪天起施行？', requestId: 'req_start' });
  assert.equal(answer.refused, false);
  assert.match(answer.text, /2019年3月1日/);
  assert.ok(made(documents, 'paragraphs') < documents.length / 2, 'only answering documents');
});

test('the tables built on first use equal those of fully made documents', async () => {
  const examples = engine.exampleQuestions('zh');
  const listed = engine.documents();
  const issuers = engine.issuers();
  assert.ok(examples.length > 0);
  assert.ok(listed.some((d) => d.sections.length > 0));
  assert.equal(engine.exampleQuestions('zh'), examples, 'computed once');

  // The same index loaded again, every document made before anything reads it.
  const fresh = await loadIndex(engine.index.dir);
  for (const d of fresh.documents) assert.ok(d.paragraphs.length > 0 && Array.isArray(d.sections));
  assert.deepEqual(
    listed.map((d) => d.sections),
    fresh.documents.map((doc) => {
      const top = Math.min(...doc.sections.filter((s) => s.part === 0).map((s) => s.rank));
      return doc.sections.filter((s) => s.part === 0 && s.rank === top).map((s) => s.heading);
    }),
  );
  assert.ok(issuers.length > 0);
  fresh.keyword.close();
  fresh.vectors?.close();
});
