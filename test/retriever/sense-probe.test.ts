/**
 * An English question is searched once for the senses of its words (the probe) and once for the answer; when the
 * senses change nothing and nothing narrows the search, the probe's hits are the answer's search and the index is
 * searched once. The answers are the same either way (the probe asks for as many hits as the answer's search);
 * `npm run eval` compares them per question.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { createLibraryEngine } from '../helpers/engine.js';

let engine: Engine;
before(async () => {
  engine = await createLibraryEngine('sense-probe');
});
after(() => engine.close());

test('English questions: the index is searched once when the probe already is the answer’s search', async () => {
  const questions = readFileSync(new URL('../../eval/corpus-dev/qa.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { q: string; lang: string })
    .filter((q) => q.lang === 'en')
    .map((q) => q.q);
  assert.ok(questions.length >= 5);
  const { keyword } = engine.index;
  const search = keyword.search.bind(keyword);
  const counts: number[] = [];
  let whole = 0;
  keyword.search = (analysis, k, options) => {
    // Whole-library searches; the in-document passes search one document's range.
    if (!options?.range) whole++;
    return search(analysis, k, options);
  };
  try {
    for (const text of questions) {
      whole = 0;
      const result = await engine.retriever.retrieve({ text, k: 5 });
      assert.ok(result.passages.length > 0, text);
      counts.push(whole);
    }
  } finally {
    keyword.search = search;
  }
  assert.ok(
    counts.every((n) => n === 1 || n === 2),
    `searches per question: ${counts}`,
  );
  assert.ok(counts.includes(1), `some question searched once: ${counts}`);
});
