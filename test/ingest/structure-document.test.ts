import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { markdownLoader } from '../../src/ingest/loaders/markdown-loader.js';
import { leadSentence, structureDocument } from '../../src/ingest/structure-document.js';
import type { SourceDocument } from '../../src/ingest/types.js';
import { chunkDocument } from '../../src/node-parser/chunker.js';
import { FIXTURES_DIR, loadSeed, loadWith } from './seed.js';

const textDoc = (text: string): SourceDocument => ({
  id: 't',
  path: 't.txt',
  format: 'txt',
  text,
  contentHash: 'x',
});

describe('structureDocument on the seed page', () => {
  const doc = structureDocument(loadSeed());
  const slice = (start: number, end: number) => doc.cleanedText.slice(start, end);
  const articles = doc.parts.filter((p) => p.kind === 'article');
  const sectionsOf = (part: number) => doc.sections.filter((s) => s.part === part);

  it("finds the column title and the editor's note", () => {
    assert.equal(doc.id, 'miit-2022-work-plans');
    assert.equal(doc.meta.title, '落实工作会精神 推动高质量发展');
    const note = doc.paragraphs.find((p) => p.kind === 'editors-note');
    assert.ok(note && slice(note.start, note.end).startsWith('开栏的话：全国工业和信息化工作会议指出'));
    assert.ok(note && slice(note.start, note.end).endsWith('敬请关注。'));
    assert.deepEqual(
      doc.paragraphs.slice(0, 2).map((p) => [p.kind, p.part, p.section]),
      [
        ['title', 0, null],
        ['editors-note', 0, null],
      ],
    );
  });

  it("finds exactly four articles with titles and issuers; the departments are the column's issuers", () => {
    assert.deepEqual(
      articles.map((a) => [a.title, a.issuer?.short, a.issuer?.full]),
      [
        ['以更加精准务实举措抓好产业科技创新工作', '科技司', '工业和信息化部科技司'],
        ['提升产业链供应链现代化水平 构建电子信息制造业新发展格局', '电子信息司', '工业和信息化部电子信息司'],
        ['助力打通经济社会发展信息“大动脉”', '信息通信发展司', '工业和信息化部信息通信发展司'],
        ['着力推动中小企业 平稳健康发展', '中小企业局', '工业和信息化部中小企业局'],
      ],
    );
    assert.deepEqual(
      doc.meta.issuers.map((i) => i.short),
      ['科技司', '电子信息司', '信息通信发展司', '中小企业局'],
    );
    assert.equal(doc.meta.region?.name, '全国');
    assert.equal(doc.meta.docNumber, null);
    for (const a of articles) assert.ok(slice(a.start, a.end).startsWith(a.title));
    assert.ok(
      slice(articles[3]?.start ?? 0, articles[3]?.end ?? 0).endsWith('以优异的成绩迎接党的二十大胜利召开。'),
    );
  });

  it('detects section leads per issuer, with exact offsets', () => {
    const leads = articles.map((a) => sectionsOf(a.index).map((s) => s.heading));
    assert.deepEqual(leads[0], [
      '提升关键共性技术供给层次，迈出制造业创新体系建设新步伐',
      '面向典型场景应用，构筑新兴产业生态新优势',
      '做好重点领域标准体系规划布局，实现高质量标准体系建设再上新台阶',
      '强化全面质量管理，促进产品可靠性达到新水平',
      '提升知识产权供给质量，探索创新成果转化及产业化新路径',
    ]);
    assert.equal(leads[1]?.[0], '优化完善政策环境，确保产业经济平稳运行');
    assert.equal(leads[1]?.length, 5);
    assert.deepEqual(leads[2]?.slice(0, 2), [
      '坚持政治建设为统领，全面加强党的建设',
      '坚持以人民为中心，推动信息通信服务为民惠民',
    ]);
    assert.equal(leads[2]?.length, 5);
    assert.deepEqual(leads[3], [
      '“稳”字当头，确保中小企业平稳健康发展',
      '“进”字发力，梯度培育优质中小企业',
      '强化服务，切实增强企业获得感',
      '优化环境，激发市场主体活力',
      '强化组织保障，把支部打造成坚强的战斗堡垒',
    ]);
    for (const s of doc.sections) assert.equal(slice(s.headingStart, s.headingEnd), s.heading);
  });

  it('gives every paragraph its part and section; year intros have none', () => {
    for (const p of doc.paragraphs) {
      const text = slice(p.start, p.end);
      if (p.kind === 'title' || p.kind === 'editors-note') assert.equal(p.part, 0);
      else assert.notEqual(p.part, 0);
      if (/^20\d\d年/.test(text)) assert.equal(p.section, null, text.slice(0, 20));
      if (p.section !== null) assert.equal(doc.sections[p.section]?.part, p.part);
    }
    const yiShi = doc.paragraphs.find((p) => slice(p.start, p.end).startsWith('一是着力减轻企业负担。'));
    assert.equal(doc.sections[yiShi?.section ?? -1]?.heading, '“稳”字当头，确保中小企业平稳健康发展');
    assert.equal(yiShi?.part, 4);
    assert.deepEqual(
      doc.paragraphs.filter((p) => p.kind === 'byline').map((p) => p.part),
      [1, 2, 3, 4],
    );
  });

  it('keeps paragraph offsets ordered and inside the cleaned text', () => {
    let last = 0;
    for (const [i, p] of doc.paragraphs.entries()) {
      assert.equal(p.index, i);
      assert.ok(p.start >= last && p.end > p.start && p.end <= doc.cleanedText.length);
      last = p.end;
    }
  });
});

describe('structureDocument on a markdown page from another ministry', async () => {
  const path = join(FIXTURES_DIR, 'ndrc-2022-work-plans.md');
  const doc = structureDocument(await loadWith(markdownLoader, path));
  const articles = doc.parts.filter((p) => p.kind === 'article');
  const text = (p: { start: number; end: number }) => doc.cleanedText.slice(p.start, p.end);

  it("takes the # heading as title and the blockquoted 编者按 as editor's note", () => {
    assert.equal(doc.id, 'ndrc-2022-work-plans');
    assert.equal(doc.meta.title, '国家发展改革委 2022年重点工作思路');
    const note = doc.paragraphs.find((p) => p.kind === 'editors-note');
    assert.equal(
      note && text(note),
      '编者按：为贯彻落实中央经济工作会议精神，本刊刊发国家发展改革委有关司局2022年工作思路，供读者参阅。',
    );
  });

  it('finds both articles with their 国家发展改革委 issuers', () => {
    assert.deepEqual(
      articles.map((a) => [a.title, a.issuer?.short, a.issuer?.full]),
      [
        ['推动高技术产业 高质量发展', '高技术司', '国家发展改革委高技术司'],
        ['扎实推进区域协调发展', '地区振兴司', '国家发展改革委地区振兴司'],
      ],
    );
  });

  it('uses "一、…" headings as sections and does not mistake list items for leads', () => {
    const headings = (part: number) => doc.sections.filter((s) => s.part === part).map((s) => s.heading);
    assert.deepEqual(headings(articles[0]?.index ?? -1), [
      '一、加快关键核心技术攻关',
      '二、培育壮大战略性新兴产业',
    ]);
    const item = doc.paragraphs.find((p) => text(p).startsWith('发展生物经济'));
    assert.equal(doc.sections[item?.section ?? -1]?.heading, '二、培育壮大战略性新兴产业');
    assert.deepEqual(headings(articles[1]?.index ?? -1), [
      '优化营商环境，激发市场主体活力',
      '强化协同联动，提升区域发展整体效能',
    ]);
  });

  it('repairs the broken line and strips markdown syntax without touching content', () => {
    assert.ok(doc.cleanedText.includes('健全以企业为主体的产业技术创新体系。二是实施重大技术装备攻关工程'));
    assert.ok(doc.cleanedText.includes('推进对口合作，开展干部交流和产业合作。'));
    assert.ok(doc.cleanedText.includes('支持Micro-LED等前沿技术产业化。'));
    assert.doesNotMatch(doc.cleanedText, /[#*`>[\]]|https?:/);
    const intro = doc.paragraphs.find((p) => text(p).startsWith('2022年，地区振兴司'));
    assert.equal(intro?.section, null);
  });
});

describe('structureDocument on other layouts', () => {
  const headingOf = (doc: ReturnType<typeof structureDocument>, i: number) =>
    doc.sections[doc.paragraphs[i]?.section ?? -1]?.heading ?? null;

  it("keeps a law's adoption history under its title as text of its own, chunked", () => {
    const doc = structureDocument(
      textDoc(
        '专利代理条例\n\n（1991年3月4日国务院令第76号发布　2018年9月6日国务院第23次常务会议修订通过）\n\n第一章　总则\n\n第一条　为了规范专利代理行为，制定本条例。',
      ),
    );
    const history = doc.paragraphs.find((p) => p.kind === 'history');
    assert.ok(history, doc.paragraphs.map((p) => p.kind).join(' '));
    const chunks = chunkDocument(doc, { size: 300, overlap: 60 });
    assert.ok(chunks.some((c) => c.text.includes('国务院令第76号发布')));
  });

  it('reads a plain-text notice: title, sections from leads, closing block', () => {
    const doc = structureDocument(
      textDoc('关于推进工作的意见\n\n加强统筹协调，形成工作合力。各地要建立机制。\n\n特此通知。'),
    );
    assert.equal(doc.meta.title, '关于推进工作的意见');
    assert.equal(doc.meta.kind, '意见');
    assert.deepEqual(
      doc.parts.map((p) => p.kind),
      ['main'],
    );
    assert.equal(headingOf(doc, 1), '加强统筹协调，形成工作合力');
  });

  it('reads a single article without a column title, ignoring a "过去一年" intro', () => {
    const doc = structureDocument(
      textDoc(
        '扎实推进区域协调发展\n\n国家发展改革委地区振兴司\n\n过去一年，成效显著。\n\n优化营商环境，激发市场主体活力。深化改革。',
      ),
    );
    assert.equal(doc.paragraphs[0]?.kind, 'part-title');
    assert.equal(doc.parts[1]?.issuer?.short, '地区振兴司');
    assert.equal(doc.paragraphs[2]?.section, null);
    assert.equal(headingOf(doc, 3), '优化营商环境，激发市场主体活力');
  });

  it('nests numbered headings: 一、 above （二）, a comma inside a short heading is fine', () => {
    const doc = structureDocument(
      textDoc(
        '工作要点\n\n一、坚持稳中求进，推动高质量发展\n\n各地要加强统筹，确保落实。\n\n（二）强化保障\n\n加大投入。',
      ),
    );
    assert.equal(doc.paragraphs.length, 5);
    assert.deepEqual(
      doc.paragraphs.map((_, i) => headingOf(doc, i)),
      [
        null,
        '一、坚持稳中求进，推动高质量发展',
        '一、坚持稳中求进，推动高质量发展',
        '（二）强化保障',
        '（二）强化保障',
      ],
    );
    assert.equal(doc.sections[1]?.parent, 0);
  });

  it('reads regulations: 章 and 条, items inside an article are not headings', () => {
    const doc = structureDocument(
      textDoc(
        '某某管理条例\n\n第一章 总则\n\n第一条 为了规范管理，制定本条例。\n\n第二章 机构\n\n第二条 设立机构应当具备下列条件：\n\n（一）有符合规定的名称；\n\n（二）有独立的经营场所。\n\n第三条 本条例自2019年3月1日起施行。',
      ),
    );
    assert.deepEqual(
      doc.sections.map((s) => [s.heading, s.parent === null ? null : doc.sections[s.parent]?.heading]),
      [
        ['第一章 总则', null],
        ['第一条', '第一章 总则'],
        ['第二章 机构', null],
        ['第二条', '第二章 机构'],
        ['第三条', '第二章 机构'],
      ],
    );
    const item = doc.paragraphs.find((p) => doc.cleanedText.slice(p.start, p.end).startsWith('（二）'));
    assert.equal(headingOf(doc, item?.index ?? -1), '第二条');
    assert.equal(item?.numbering?.label, '（二）');
  });

  it('falls back to the document id when there is no title line', () => {
    const doc = structureDocument(textDoc('这是一段正文，没有标题，后面还有很多内容以免它像一个标题。'));
    assert.equal(doc.meta.title, 't');
    assert.equal(doc.paragraphs[0]?.kind, 'body');
  });
});

describe('leadSentence', () => {
  it('accepts headline sentences and rejects intros, enumerations and long sentences', () => {
    assert.equal(leadSentence('强化服务，切实增强企业获得感。制定出台文件。', 10)?.start, 10);
    assert.equal(leadSentence('2022年，科技司将认真贯彻落实。', 0), null);
    assert.equal(leadSentence('一是着力减轻企业负担。推动落实。', 0), null);
    assert.equal(leadSentence('没有逗号的短句。后文。', 0), null);
    assert.equal(leadSentence(`${'很长的句子'.repeat(10)}，结束。`, 0), null);
  });
});

describe('structureDocument logging', () => {
  it('reports repaired breaks and dropped tokens at debug level', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    structureDocument(loadSeed(), { logger });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.joins, 9);
    assert.deepEqual(lines[0]?.dropped, { chrome: 0, metadata: 0, head: 0, tail: 0 });
    assert.deepEqual(lines[0]?.removed, ['EN']);
  });
});
