/**
 * In-document passage order: the words that found a document (its title and topic, in nearly every chunk of it)
 * must not decide which of its passages comes first; the word rare among its own chunks does.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { createRetrievalEngine } from '../../src/engine/createEngine.js';
import { withoutSharedRuns } from '../../src/internal/text-measures.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import {
  IN_DOCUMENT_FLOOR,
  inDocumentWeights,
  reorderWithin,
  withPhraseMatches,
} from '../../src/retriever/in-document.js';
import type { Chunk } from '../../src/types.js';

const chunk = (text: string, ordinal = 0): Chunk =>
  ({ id: `d#${ordinal}`, ordinal, docId: 'd', text }) as unknown as Chunk;

describe('inDocumentWeights', () => {
  it('keeps the weight of a term rare in the document and cuts one in every chunk to the floor', () => {
    const chunks = ['绩效考核指标甲', '绩效考核指标乙', '绩效考核医护比', '绩效考核指标丙'].map((t, i) =>
      chunk(t, i),
    );
    const terms = [
      { term: '绩效', weight: 1, source: 'query' as const },
      { term: '医护', weight: 1, source: 'query' as const },
    ];
    // Library idf 2 for both: the weights become idf within the document / 2.
    const [common, rare] = inDocumentWeights({ language: 'zh', terms }, chunks, () => 2).terms;
    const most = Math.log(1 + 4.5 / 0.5);
    assert.ok(
      Math.abs((common?.weight ?? 0) - (IN_DOCUMENT_FLOOR * most) / 2) < 1e-9,
      `common ${common?.weight}`,
    );
    assert.ok(Math.abs((rare?.weight ?? 0) - Math.log(1 + 3.5 / 1.5) / 2) < 1e-9, `rare ${rare?.weight}`);
  });

  it('counts the chunks holding a term: twice in one is once, across two is none, Latin in any case', () => {
    const chunks = ['医护比医护比', '比例', 'IPv6规模部署', '推进ipv6', '医护'].map((t, i) => chunk(t, i));
    const terms = ['医护', '比比', 'IPV6', '护比例', '缺席'].map((term) => ({
      term,
      weight: 1,
      source: 'query' as const,
    }));
    const weights = inDocumentWeights({ language: 'zh', terms }, chunks, () => 1).terms.map((t) => t.weight);
    // Within-document idf of a term in df of the 5 chunks (floored), the library idf being 1.
    const expected = (df: number) =>
      Math.max(IN_DOCUMENT_FLOOR * Math.log(1 + 5.5 / 0.5), Math.log(1 + (5 - df + 0.5) / (df + 0.5)));
    assert.deepEqual(
      weights.map((w) => w.toFixed(9)),
      [2, 0, 2, 0, 0].map((df) => expected(df).toFixed(9)),
    );
  });
});

describe('withPhraseMatches', () => {
  const question = '京津唐电网2022年电力中长期交易中，发电侧暂时按什么方式开展交易与结算？';
  const title = '华北能源监管局关于明确2022年京津唐电网电力中长期交易有关事项的通知';
  it('reads the question without the wording it shares with the title', () => {
    const own = withoutSharedRuns(question, title);
    assert.ok(own.includes('开展交易与结算'), own);
    assert.equal(own.includes('电力中长期交易'), false);
    assert.equal(own.includes('京津唐电网'), false);
  });
  it('raises the passage holding a run of the question’s own wording, not the one holding the title’s', () => {
    const texts = [
      '京津唐电网电力中长期交易由北京电力交易中心统一开展。',
      '发电侧暂按一段式量价开展交易与结算。',
    ];
    const raised = withPhraseMatches(
      new Map([
        [0, 1],
        [1, 0.8],
      ]),
      withoutSharedRuns(question, title),
      (o) => texts[o] ?? '',
    );
    assert.equal(raised.get(0), 1);
    // "开展交易与结算": 7 characters, 4 beyond the 3 that count for nothing.
    assert.ok(Math.abs((raised.get(1) ?? 0) - 0.8 * (1 + 0.08 * 4)) < 1e-9);
  });
});

describe('reorderWithin', () => {
  const doc = (o: number) => (o < 10 ? 'a' : 'b');
  it("puts the document's passages in the new order in the slots they held, others untouched", () => {
    assert.deepEqual(reorderWithin([1, 10, 2, 11, 3], doc, 'a', [3, 1, 2]), [3, 10, 1, 11, 2]);
  });
  it('lets a passage the first pass missed in, and keeps unreturned ones after the returned', () => {
    assert.deepEqual(reorderWithin([1, 10, 2, 3], doc, 'a', [7, 2]), [7, 10, 2, 1]);
  });
  it('changes nothing for a document without passages or an empty order', () => {
    assert.deepEqual(reorderWithin([10, 11], doc, 'a', [1]), [10, 11]);
    assert.deepEqual(reorderWithin([1, 10], doc, 'a', []), [1, 10]);
  });
});

describe('retrieval over a library', () => {
  let dir: string;
  let retrieve: (text: string) => Promise<string[]>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policybot-indoc-'));
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    // A document whose topic words are in every section, and one clause only holding the word asked about.
    const topics = [
      '坚持公益性导向',
      '按照年度实施',
      '建立信息系统',
      '加强组织领导',
      '做好宣传引导',
      '强化结果应用',
      '完善配套政策',
      '加强督导检查',
      '推进信息共享',
      '健全工作机制',
    ];
    const sections = topics.map(
      (topic, i) =>
        `${'一二三四五六七八九十'[i]}、${topic}\n\n三级公立医院绩效考核工作要${topic}，三级公立医院绩效考核指标要落实到位。`,
    );
    sections.push(
      '十一、指标说明\n\n出院患者手术占比按出院患者手术台次数除以同期出院患者总人次数计算；门诊收入占比按门诊收入除以医疗收入计算；医护比按医院注册医师总数除以全院同期注册护士总数计算；人员支出占比按人员支出除以业务支出计算，上述指标按年度统计。',
    );
    writeFileSync(
      join(corpus, 'kaohe.md'),
      `# 关于加强三级公立医院绩效考核工作的意见\n\n${sections.join('\n\n')}\n`,
    );
    writeFileSync(
      join(corpus, 'other.md'),
      '# 关于做好城镇小区配套幼儿园治理工作的通知\n\n一、摸底排查\n\n各地对城镇小区配套幼儿园情况进行全面摸底排查，该项工作于2019年4月底前完成。\n',
    );
    // Other documents: the topic words are rare in the library (so they score high everywhere in the 意见), and
    // 医护 is not (医护人员 is common in health documents).
    const others = ['就业', '住房', '交通', '养老', '教育', '应急'];
    others.forEach((topic, i) => {
      writeFileSync(
        join(corpus, `other-${i}.md`),
        `# 关于做好${topic}工作的通知\n\n一、工作要求\n\n各地要做好${topic}工作，保障医护人员和群众的合法权益，${topic}工作按年度实施。\n`,
      );
    });
    const config = loadConfig({
      POLICYBOT_INDEX_DIR: join(dir, 'index'),
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
      POLICYBOT_CORPUS_DIR: corpus,
    });
    const engine = await createRetrievalEngine({ config, logger: createSilentLogger() });
    retrieve = async (text) =>
      (await engine.retriever.retrieve({ text, k: 3 })).passages.map((p) => p.chunk.text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the clause with the distinctive word first, not the chunks densest in the topic words', async () => {
    const [first] = await retrieve('三级公立医院绩效考核里医护比这个指标按什么公式算？');
    assert.match(first ?? '', /医护比/);
  });

  it('leaves list questions to the library-wide order, where the heading leads to the items', async () => {
    const [first] = await retrieve('三级公立医院绩效考核工作有哪些要求？');
    assert.match(first ?? '', /三级公立医院绩效考核工作要/);
  });
});

describe('inDocumentWeights on a long document', () => {
  it('estimates the frequencies from evenly spaced chunks, with the same proportions', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? '医护比指标' : '绩效考核指标'));
    const chunks = texts.map((t, i) => chunk(t, i));
    const terms = [{ term: '医护', weight: 1, source: 'query' as const }];
    const [weighted] = inDocumentWeights({ language: 'zh', terms }, chunks, () => 1).terms;
    // A quarter of the chunks hold 医护: idf(1000, 250).
    assert.ok(
      Math.abs((weighted?.weight ?? 0) - Math.log(1 + 750.5 / 250.5)) < 0.05,
      String(weighted?.weight),
    );
  });
});
