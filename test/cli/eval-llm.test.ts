/**
 * `policybot eval` over the LLM answer path: the built CLI with OPENAI_BASE_URL pointed at the local
 * OpenAI-compatible test server, which streams scripted answers. The scripted model invents a phantom
 * citation [9] twice; the answer layer drops those sentences, so eval counts no phantom quote and scores
 * containment on the verified text, not on what the model wrote.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, runCli } from '../helpers/cli.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';
import { tempDir } from '../helpers/temp-dir.js';

let root: string;
let env: Record<string, string>;
let server: OpenAiTestServer;

const Q1 = { q: '小微企业融资担保有什么政策？', evidence: '继续实施小微企业融资担保降费奖补政策' };
const Q2 = { q: '标准体系方面要逐步减少哪类标准的数量？', evidence: '逐步减少一般性产品标准数量' };

before(async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` before the CLI tests');
  root = await tempDir();
  env = {
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: join(root, 'no-model'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
  server = await startOpenAiServer();
});
after(() => server.close());

/** The first retrieved passage, which the engine hands the model as [1]. */
async function firstPassage(question: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['retrieve', '--json', '--k', '1', question], { env });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout).passages[0].text;
}

test('eval reports LLM answers: containment of the verified text, phantom citations dropped and counted 0', async () => {
  const passage2 = await firstPassage(Q2.q);
  assert.ok(passage2.includes(Q2.evidence), 'the seed corpus puts the evidence in the first passage');
  // A sentence of passage [1] that does not hold the evidence: the only claim of answer 2 that survives.
  const other = passage2.split('。').find((s) => s.length >= 20 && !s.includes(Q2.evidence));
  assert.ok(other);
  server.enqueue(
    { kind: 'sse', deltas: [`${Q1.evidence}[1]。`, '同时全面取消所有担保收费[9]。'] },
    { kind: 'sse', deltas: [`${other}[1]。`, `另外要${Q2.evidence}[9]。`] },
  );
  const qa = join(root, 'qa.jsonl');
  await writeFile(
    qa,
    [Q1, Q2].map((x) => JSON.stringify({ ...x, lang: 'zh', kind: 'direct', doc: null })).join('\n'),
  );
  const { code, stdout, stderr } = await runCli(['eval', '--qa', qa, '--json'], {
    env: {
      ...env,
      POLICYBOT_CORPUS_DIR: 'corpus',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_MODEL: 'test-model',
    },
  });
  assert.equal(code, 0, stderr);
  assert.equal(server.requests.length, 2, 'one model call per question');
  assert.equal(server.requests[0]?.body.stream, true);
  const report = JSON.parse(stdout);
  assert.equal(report.suites[0].answers, 'llm');
  const [a1, a2] = report.suites[0].results.questions;

  assert.equal(a1.mode, 'llm');
  assert.equal(a1.degraded, false);
  assert.equal(a1.contained, true);
  assert.doesNotMatch(a1.answer, /全面取消|\[9\]/);
  assert.deepEqual(a1.phantoms, []);

  // The model wrote the evidence, but only under the phantom [9]: the verified answer does not hold it.
  assert.equal(a2.mode, 'llm');
  assert.equal(a2.rank, 1);
  assert.equal(a2.contained, false);
  assert.doesNotMatch(a2.answer, /\[9\]/);
  assert.ok(!a2.answer.includes(Q2.evidence), a2.answer);
  assert.deepEqual(a2.phantoms, []);

  assert.equal(report.phantoms, 0);
  const row = report.rows.find((r: { kind: string; lang: string }) => r.kind === 'direct' && r.lang === 'zh');
  assert.equal(row.containment, 0.5);
  assert.equal(row.citationPrecision, 1, 'both kept citations point at the passage holding the evidence');
});
