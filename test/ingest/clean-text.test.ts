import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cleanText, shouldJoin } from '../../src/ingest/clean-text.js';
import { loadSeed, SEED_PATH } from './seed.js';

const clean = (text: string) => cleanText({ text });
const block = (text: string, headingLevel = 0) => ({ text, headingLevel });

describe('cleanText on the seed page', () => {
  const seed = loadSeed();
  const cleaned = cleanText(seed);

  it('rejoins every paragraph the layout broke mid-sentence', () => {
    for (const passage of [
      '国家人工智能创新应用先导区和国家级车联网先导区，探索',
      '网络化的制造业创新体系。',
      '组织做好“百城千屏”超高清视频落地推广活动工作。',
      '推动制造业质量管理数字化',
      '决策部署，胸怀“两个大局”',
      '面向有条件、有需求的农村地区逐步推进5G建设。',
      '新建1000个行业虚拟专网。',
      '先进计算、智慧健康养老',
      '加快新型高效光伏组件产业化，统筹资源',
    ]) {
      assert.ok(cleaned.text.includes(passage), passage);
    }
    assert.equal(cleaned.joins, 9);
  });

  it('leaves no paragraph ending mid-sentence except titles and bylines', () => {
    const open = cleaned.paragraphs
      .map((p) => cleaned.text.slice(p.start, p.end))
      .filter((t) => !/[。！？；][”’」』）]*$/.test(t));
    assert.deepEqual(open, [
      '落实工作会精神 推动高质量发展',
      '以更加精准务实举措抓好产业科技创新工作',
      '工业和信息化部科技司',
      '提升产业链供应链现代化水平 构建电子信息制造业新发展格局',
      '工业和信息化部电子信息司',
      '助力打通经济社会发展信息“大动脉”',
      '工业和信息化部信息通信发展司',
      '着力推动中小企业 平稳健康发展',
      '工业和信息化部中小企业局',
    ]);
  });

  it('drops the stray "EN" token and nothing else', () => {
    assert.deepEqual(cleaned.removed, ['EN']);
    assert.ok(!cleaned.text.includes('EN'));
    assert.ok(cleaned.text.startsWith('落实工作会精神 推动高质量发展\n\n开栏的话：'));
  });

  it('keeps every non-whitespace character of the raw file, in order (minus "EN")', () => {
    const raw = readFileSync(SEED_PATH, 'utf8').replace(/^\s*EN/, '');
    assert.equal(cleaned.text.replace(/\s/g, ''), raw.replace(/\s/g, ''));
  });

  it('separates paragraphs with exactly one blank line and keeps spaces inside titles', () => {
    assert.ok(!cleaned.text.includes('\n\n\n'));
    assert.equal(cleaned.text.split('\n\n').length, cleaned.paragraphs.length);
    assert.ok(cleaned.text.includes('\n\n着力推动中小企业 平稳健康发展\n\n'));
    for (const p of cleaned.paragraphs) {
      const t = cleaned.text.slice(p.start, p.end);
      assert.equal(t, t.trim());
      assert.ok(!t.includes('\n'));
    }
  });
});

describe('the rejoin rule', () => {
  it('keeps a short title apart from the byline and body that follow', () => {
    const out = clean('推动高质量发展\n\n国家发展改革委高技术司\n\n2022年，高技术司将继续努力。');
    assert.equal(out.paragraphs.length, 3);
    assert.equal(out.joins, 0);
  });

  it('keeps a title after a body paragraph that lacks final punctuation', () => {
    const out = clean(
      '这一段结尾漏了标点但内容很长，并且包含逗号\n\n下一篇文章的标题\n\n工业和信息化部科技司\n\n正文。',
    );
    assert.equal(out.paragraphs.length, 4);
  });

  it('joins a short fragment whose next line continues the cut word', () => {
    assert.equal(clean('坚持创新驱动的产业体\n\n系。全面推进。').text, '坚持创新驱动的产业体系。全面推进。');
    assert.equal(clean('标题行\n\n正文第一句，完整。').paragraphs.length, 2);
  });

  it("never joins into an editor's note or an enumerated heading", () => {
    assert.equal(
      shouldJoin(block('一段没有句号的长文本，后面还有内容'), block('编者按：本刊…'), undefined),
      false,
    );
    assert.equal(
      shouldJoin(block('一段没有句号的长文本，后面还有内容'), block('二、加强组织保障'), undefined),
      false,
    );
    assert.equal(shouldJoin(block('一段没有句号的长文本，后面还有内容'), block('继续。'), undefined), true);
  });

  it('never joins across a markdown heading', () => {
    assert.equal(shouldJoin(block('短标题', 2), block('系。'), undefined), false);
    assert.equal(shouldJoin(block('一段没有句号的长文本，后面还有'), block('小标题', 3), undefined), false);
  });

  it('treats a closing quote after a terminator as final, and one after a character as open', () => {
    assert.equal(clean('他说：“要稳。”\n\n下一段。').paragraphs.length, 2);
    assert.equal(clean('内容很长的段落，组织做好“百城千屏”\n\n超高清视频工作。').paragraphs.length, 1);
  });

  it('keeps a space between Latin words when joining, and strips CRLF-free indentation', () => {
    assert.equal(
      clean('支持企业参与5G R17、R18标准制定，支持 Micro\n\nLED 发展。').text,
      '支持企业参与5G R17、R18标准制定，支持 Micro LED 发展。',
    );
    assert.equal(clean('　　首段。\n　　次段。').text, '首段。\n\n次段。');
  });

  it('removes only a known language-switch token, only on the first line', () => {
    assert.equal(clean('EN 落实工作会精神\n\n正文。').text, '落实工作会精神\n\n正文。');
    assert.equal(clean('AI 赋能制造业\n\n正文。').text, 'AI 赋能制造业\n\n正文。');
    assert.equal(clean('标题\n\nEN 正文。').text, '标题\n\nEN 正文。');
  });
});

describe('a metadata table printed with wrapped label cells', () => {
  // How a PDF print (or a scan of one) of a gov.cn page reads: each label is wrapped in its narrow cell,
  // its first characters above the value's line and the rest below it.
  const cleaned = clean(
    [
      '索引 主题分',
      '000014349/2019-00001 卫生、体育\\医药管理',
      '号： 类：',
      '发文机 成文日',
      '国务院办公厅 2019年01月01日',
      '关： 期：',
      '标',
      '国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知',
      '题：',
      '发文字 发布日',
      '国办发〔2019〕2号 2019年01月17日',
      '号： 期：',
      '主题词：',
      '国务院办公厅关于印发国家组织药品',
      '集中采购和使用试点方案的通知',
      '国办发〔2019〕2号',
      '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：',
      '《国家组织药品集中采购和使用试点方案》已经国务院同意，现印发给你们，请认真贯彻执行。',
    ].join('\n'),
  );

  it('reads each label with its value as stated metadata', () => {
    assert.deepEqual(cleaned.stated.issuers, ['国务院办公厅']);
    assert.equal(cleaned.stated.date, '2019年01月01日');
    assert.equal(cleaned.stated.title, '国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知');
    assert.equal(cleaned.stated.docNumber, '国办发〔2019〕2号');
    assert.equal(cleaned.stated.publishedDate, '2019年01月17日');
  });

  it('leaves no label halves in the text, and the two-line title under an empty label whole', () => {
    assert.doesNotMatch(cleaned.text, /题：|号： 期：|发文字 发布日|索引 主题分/u);
    assert.ok(
      cleaned.text.startsWith('国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知'),
      cleaned.text.slice(0, 60),
    );
  });
});

describe('cleanText on a page setting several labels on one line', () => {
  const cleaned = clean(
    [
      '云南电力市场规则',
      '信息来源：海南电力交易中心 发布时间：2024-12-09',
      '云南电力市场规则',
      '为规范云南电力市场运营，保障市场主体合法权益，现将有关规则公布如下，请各市场主体遵照执行。',
    ].join('\n'),
  );
  it('ends each value where the next known label begins', () => {
    assert.equal(cleaned.stated.source, '海南电力交易中心');
    assert.equal(cleaned.stated.publishedDate, '2024-12-09');
  });
  it('keeps a colon no known label precedes inside the value', () => {
    const one = clean(
      ['标题：关于A的通知 附：说明', '为规范市场运营，现将有关事项通知如下，请遵照执行并及时报告。'].join(
        '\n',
      ),
    );
    assert.equal(one.stated.title, '关于A的通知 附：说明');
  });
});
