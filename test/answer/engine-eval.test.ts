/**
 * The answer layer over the real retrieval engine (index built from the seed corpus into a temp dir,
 * keyword-only: no embedding model offline) on eval/seed/qa.jsonl and the out-of-corpus set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeAnswer } from '../../src/answer/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { createRetrievalEngine } from '../../src/engine/createEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { Answer, RetrievalQuery, RetrievalResult } from '../../src/types.js';

interface Row {
  id: string;
  q: string;
  evidence?: string | null;
  lang: 'zh' | 'en';
}
const read = (url: URL): Row[] =>
  readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
const devQa = read(new URL('../../eval/seed/qa.jsonl', import.meta.url));
const outOfCorpus = read(new URL('../fixtures/out-of-corpus.jsonl', import.meta.url));

describe('answers over the real retrieval engine', () => {
  let dir: string;
  let retrieve: (q: RetrievalQuery) => Promise<RetrievalResult>;
  const logger = createSilentLogger();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policybot-answer-'));
    const config = loadConfig({
      POLICYBOT_INDEX_DIR: dir,
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
      POLICYBOT_CORPUS_DIR: 'corpus',
    });
    const engine = await createRetrievalEngine({ config, logger });
    retrieve = (q) => engine.retriever.retrieve(q);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const answer = async (text: string): Promise<Answer> =>
    composeAnswer({ text, requestId: 'req_eval' }, text, await retrieve({ text, k: 8 }), {
      llm: null,
      logger,
      maxChars: 300,
    });

  it('answers 2021年新建了多少个5G基站？ with 超60万个 citing 信息通信发展司', async () => {
    const a = await answer('2021年新建了多少个5G基站？');
    assert.equal(a.refused, false);
    assert.match(a.text, /超60万个\[1\]/);
    assert.equal(a.citations[0]?.issuer, '信息通信发展司');
    assert.ok(a.citations[0]?.quote.includes('新建5G基站超60万个'));
  });

  it('dev-qa positives: containment ≥ 0.9, citation precision ≥ 0.95, ≤ 1 in 20 refused', async () => {
    const positives = devQa.filter((r) => r.evidence);
    let contained = 0;
    let cited = 0;
    let refused = 0;
    for (const row of positives) {
      const a = await answer(row.q);
      const evidence = row.evidence as string;
      if (a.refused) refused++;
      if (a.text.includes(evidence)) contained++;
      if (a.citations.some((c) => c.passage.includes(evidence))) cited++;
      for (const c of a.citations) assert.ok(c.passage.includes(c.quote), `${row.id}: quote verbatim`);
      assert.equal(a.language, row.lang, row.id);
    }
    assert.ok(contained / positives.length >= 0.9, `containment ${contained}/${positives.length}`);
    assert.ok(cited / positives.length >= 0.95, `citation precision ${cited}/${positives.length}`);
    assert.ok(refused / positives.length <= 0.05, `refused ${refused}/${positives.length}`);
  });

  it('refuses every dev-qa negative and out-of-corpus question', async () => {
    for (const row of [...devQa.filter((r) => !r.evidence), ...outOfCorpus]) {
      const a = await answer(row.q);
      assert.equal(a.refused, true, `${row.id} ${row.q} → ${a.text}`);
      assert.equal(a.language, row.lang, row.id);
    }
  });
});
