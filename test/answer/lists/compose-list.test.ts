import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeAnswer } from '../../../src/answer/compose.js';
import { rankListBlocks } from '../../../src/answer/lists/compose-list.js';
import { composeList } from '../../../src/answer/lists/index.js';
import { questionShape } from '../../../src/answer/question-shape.js';
import { createSilentLogger } from '../../../src/logging/logger.js';
import { listCorpus, listRetrieve, STRUCTURE_DIR, YEARS_DIR } from './fixture.js';

async function list(question: string) {
  const { lookup } = await listCorpus();
  return composeList(question, 'zh', await listRetrieve(question), questionShape(question), { lookup });
}

const itemLines = (text: string) => text.split('\n').filter((l) => l.startsWith('- '));

describe('composeList', () => {
  it('answers a condition question with every item under the article that lists them, in order, each cited', async () => {
    const answer = await list('科技评估机构从事评估业务需要具备哪些条件？');
    assert.ok(answer);
    const lines = itemLines(answer.text);
    assert.deepEqual(
      lines.map((l) => l.replace(/\[\d+\][；。]$/u, '').slice(2)),
      [
        '有独立的法人资格',
        '有固定的办公场所和必要的设备',
        '有五名以上取得评估师资格的专职人员',
        '有健全的内部质量管理制度',
      ],
    );
    for (const [i, l] of lines.entries()) assert.ok(l.includes(`[${i + 1}]`), l);
    assert.match(answer.text, /^根据《浙江省科技评估机构管理办法》 › 第二章 机构设立 › 第三条：/u);
  });

  it('quotes each item verbatim from the passage it cites, at its offsets in the document', async () => {
    const { docs } = await listCorpus();
    const answer = await list('科技评估机构从事评估业务需要具备哪些条件？');
    for (const c of answer?.citations ?? []) {
      const doc = docs.find((d) => d.id === c.doc);
      assert.equal(doc?.cleanedText.slice(c.start, c.end), c.quote);
      assert.ok(c.passage.includes(c.quote));
      assert.deepEqual(c.sectionPath.at(-1), '第三条');
    }
  });

  it('shows at most eight items of a longer list, then says how many more and where', async () => {
    const answer = await list('科技评估机构在执业中有哪些行为是禁止的？');
    assert.ok(answer);
    assert.equal(itemLines(answer.text).length, 8);
    assert.ok(itemLines(answer.text)[0]?.includes('出具虚假评估报告'));
    assert.match(answer.text, /另有2项未列出，见《浙江省科技评估机构管理办法》 › 第三章 执业规范 › 第五条/u);
  });

  it('groups a question over two documents under each document’s title', async () => {
    const answer = await list('浙江和江苏对科技评估机构分别有哪些要求？');
    assert.ok(answer);
    assert.equal(answer.groups.length, 2);
    assert.match(answer.text, /根据《浙江省科技评估机构管理办法》[^\n]*：\n/u);
    assert.match(answer.text, /\n\n根据《江苏省科技评估机构监督办法》 › 二、监督措施：\n- 建立年度报告制度/u);
  });

  it('answers in English with the quoted items and English framing', async () => {
    const { lookup } = await listCorpus();
    const q = '科技评估机构从事评估业务需要具备哪些条件？';
    const answer = composeList(q, 'en', await listRetrieve(q), questionShape(q), { lookup });
    assert.match(
      answer?.text ?? '',
      /^According to 《浙江省科技评估机构管理办法》[^\n]*:\n- “有独立的法人资格” \[1\];/u,
    );
  });

  it('is not used for fact questions: their answer is the same with or without the document model', async () => {
    const { lookup } = await listCorpus();
    const q = '设立科技评估机构应当向哪个部门提出申请？';
    const retrieval = await listRetrieve(q);
    const deps = { llm: null, logger: createSilentLogger(), maxChars: 300 };
    const plain = await composeAnswer({ text: q, requestId: 'r1' }, q, retrieval, deps);
    const withDocs = await composeAnswer({ text: q, requestId: 'r1' }, q, retrieval, {
      ...deps,
      documents: lookup,
    });
    assert.equal(withDocs.text, plain.text);
    assert.equal(questionShape(q).wantsItems, false);
  });

  it('is used by composeAnswer for list questions when the document model is given', async () => {
    const { lookup } = await listCorpus();
    const q = '科技评估机构从事评估业务需要具备哪些条件？';
    const answer = await composeAnswer({ text: q, requestId: 'r2' }, q, await listRetrieve(q), {
      llm: null,
      logger: createSilentLogger(),
      maxChars: 300,
      documents: lookup,
    });
    assert.equal(answer.refused, false);
    assert.equal(itemLines(answer.text).length, 4);
    assert.equal(answer.citations.length, 4);
  });

  describe('structure rules', () => {
    async function structured(question: string) {
      const { lookup } = await listCorpus(STRUCTURE_DIR);
      const retrieval = await listRetrieve(question, 8, STRUCTURE_DIR);
      return { lookup, retrieval, shape: questionShape(question) };
    }

    it('answers a question about aims from the enumeration under the heading that names them (目标 for 目的)', async () => {
      const q = '江东省数字乡村建设试点希望达到哪些目的？';
      const { lookup, retrieval, shape } = await structured(q);
      const answer = composeList(q, 'zh', retrieval, shape, { lookup });
      assert.match(
        answer?.text ?? '',
        /^根据《江东省数字乡村建设试点工作方案》 › 一、总体要求 › （一）目标任务：\n/u,
      );
      assert.equal(itemLines(answer?.text ?? '').length, 4);
      assert.match(
        itemLines(answer?.text ?? '')[1] ?? '',
        /^- 降低农产品流通成本，拓宽农民增收渠道\[2\]；$/u,
      );
    });

    it('answers from the innermost heading the question quotes, not the section around it', async () => {
      const q = '江东省民生实事里，医疗卫生方面要办哪几件？';
      const { lookup, retrieval, shape } = await structured(q);
      const answer = composeList(q, 'zh', retrieval, shape, { lookup });
      assert.match(answer?.text ?? '', /› 三、民生实事 › 1\.医疗卫生方面：\n/u);
      assert.deepEqual(itemLines(answer?.text ?? ''), [
        '- 建设村级远程医疗服务点200个[1]；',
        '- 为50万名农村老人建立电子健康档案[2]；',
        '- 推动县域医共体信息平台全覆盖[3]。',
      ]);
    });

    it('looks at every paragraph a passage covers, not only the one it starts at', async () => {
      const q = '提升社会保障水平方面要做哪些事？';
      const { lookup, retrieval, shape } = await structured(q);
      // The passage starts at the paragraph before (促进乡村就业。…).
      assert.match(retrieval.passages[0]?.chunk.text ?? '', /^促进乡村就业。/u);
      const answer = composeList(q, 'zh', retrieval, shape, { lookup });
      assert.deepEqual(itemLines(answer?.text ?? ''), [
        '- 提高城乡居民基础养老金最低标准[1]；',
        '- 推进医疗保险市级统筹[2]；',
        '- 扩大失业保险覆盖范围[3]；',
        '- 加强农村低保对象动态管理[4]。',
      ]);
    });

    it('shows a notice’s own text whole: every sentence of it is what the notice asks', async () => {
      const q = '转发数字乡村建设情况报告的通知对各地、各部门提出了哪些要求？';
      const { lookup, retrieval, shape } = await structured(q);
      const answer = composeList(q, 'zh', retrieval, shape, { lookup });
      assert.match(
        answer?.text ?? '',
        /^根据《江东省人民政府办公厅转发省农业农村厅关于数字乡村建设情况报告的通知》：\n/u,
      );
      const lines = itemLines(answer?.text ?? '');
      assert.equal(lines.length, 4);
      assert.match(lines[2] ?? '', /^- 各地要加大对数字乡村建设的资金投入，保障试点工作顺利开展\[3\]；$/u);
      assert.doesNotMatch(answer?.text ?? '', /另有/u);
    });

    it('offers, for a time question, the dated sentences of a section’s subsections, each with its condition clause', async () => {
      const q = '数字乡村试点各项建设分别要在什么时候前完成？';
      const { lookup, retrieval, shape } = await structured(q);
      const ranked = rankListBlocks(q, retrieval, shape, { lookup });
      const dated = ranked.find(
        (r) => r.block.kind === 'sentences' && r.block.path.join() === '二、工作安排',
      );
      assert.ok(dated);
      const text = (i: { start: number; end: number }) => dated.block.doc.cleanedText.slice(i.start, i.end);
      assert.deepEqual(dated.items.map(text), [
        '对于已经列入规划的，原则上于2025年6月底前完成建设。',
        '对于需要新建县级平台的，原则上于2025年9月底前上线运行，',
        '省级平台于2025年12月底前完成对接。',
        '省农业农村厅组织开展试点评估，2026年3月底前形成评估报告。',
      ]);
    });
  });

  it('prefers the document of the year the question names over a better-matching one of another year', async () => {
    const q = '江北省2024年的农机购置补贴，补贴对象有哪些？';
    const { lookup } = await listCorpus(YEARS_DIR);
    const retrieval = await listRetrieve(q, 8, YEARS_DIR);
    // The other year's plan repeats the question's words more and is retrieved first.
    assert.equal(retrieval.passages[0]?.chunk.docId, 'fangan-2023');
    const answer = composeList(q, 'zh', retrieval, questionShape(q), { lookup });
    assert.match(
      answer?.text ?? '',
      /^根据《江北省2024年农机购置补贴实施方案》 › 一、补贴对象：\n- 从事农业生产的个人和家庭农场\[1\]；/u,
    );
  });
});
