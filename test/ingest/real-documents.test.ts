/**
 * Real public policy documents (eval/corpus-dev, eval/corpus-web-dev: gov.cn pages, scraped reports and
 * exchange pages with their site chrome, Markdown copies): every document's metadata as the document itself
 * gives it, and chunks free of page chrome and of fragments.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { auditChunk } from '../../scripts/chunk-audit.js';
import { loadCorpus } from '../../src/ingest/load-corpus.js';
import { structureDocument } from '../../src/ingest/structure-document.js';
import { chunkDocument } from '../../src/node-parser/chunker.js';
import type { StructuredDocument } from '../../src/types.js';

const EVAL = new URL('../../eval/', import.meta.url).pathname;

interface Expected {
  title: string;
  issuers: string[];
  docNumber: string | null;
  date: string | null;
  region: string | null;
  kind?: string;
}

/** Titles compare without spaces (pages set "国家发展改革委 国家能源局关于…" with or without one). */
const compact = (s: string) => s.replace(/\s+/gu, '');

const EXPECTED: Record<string, Expected> = {
  'corpus-dev/guoling-706-zhuanli-daili-tiaoli': {
    title: '专利代理条例',
    issuers: ['国务院'],
    docNumber: '国令第706号',
    date: '2018-11-06',
    region: '全国',
    kind: '条例',
  },
  'corpus-dev/guofa-2004-18-guowuyuan-gongzuo-guize': {
    title: '国务院关于印发《国务院工作规则》的通知',
    issuers: ['国务院'],
    docNumber: '国发〔2004〕18号',
    date: '2004-06-26',
    region: '全国',
  },
  'corpus-dev/guobanfa-2019-04-sanji-gongli-yiyuan-jixiao': {
    title: '国务院办公厅关于加强三级公立医院绩效考核工作的意见',
    issuers: ['国务院办公厅'],
    docNumber: '国办发〔2019〕4号',
    date: '2019-01-16',
    region: '全国',
    kind: '意见',
  },
  'corpus-dev/guofa-2019-03-zonghe-baoshuiqu': {
    title: '国务院关于促进综合保税区高水平开放高质量发展的若干意见',
    issuers: ['国务院'],
    docNumber: '国发〔2019〕3号',
    date: '2019-01-12',
    region: '全国',
  },
  'corpus-dev/guobanfa-2019-03-xiaoqu-peitao-youeryuan': {
    title: '国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知',
    issuers: ['国务院办公厅'],
    docNumber: '国办发〔2019〕3号',
    date: '2019-01-09',
    region: '全国',
  },
  'corpus-dev/guobanfa-1996-02-dizhen-zhongdian-fangyu': {
    title: '国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知',
    issuers: ['国务院办公厅'],
    docNumber: '国办发〔1996〕2号',
    date: '1996-02-05',
    region: '全国',
  },
  'corpus-dev/guobanfa-1997-02-dizhen-qushi': {
    title: '国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知',
    issuers: ['国务院办公厅'],
    docNumber: '国办发〔1997〕2号',
    date: '1997-02-04',
    region: '全国',
  },
  'corpus-dev/guobanfamingdian-2018-15-jiejiari-2019': {
    title: '国务院办公厅关于2019年部分节假日安排的通知',
    issuers: ['国务院办公厅'],
    docNumber: '国办发明电〔2018〕15号',
    date: '2018-12-04',
    region: '全国',
  },
  'corpus-dev/guobanhan-2005-57-liangshi-yingji-yuan': {
    title: '国务院办公厅关于印发国家粮食应急预案的函',
    issuers: ['国务院办公厅'],
    docNumber: '国办函〔2005〕57号',
    date: '2005-06-11',
    region: '全国',
    kind: '函',
  },
  'corpus-dev/guobanfa-2019-02-yaopin-jizhong-caigou': {
    title: '国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知',
    issuers: ['国务院办公厅'],
    docNumber: '国办发〔2019〕2号',
    date: '2019-01-01',
    region: '全国',
  },
  'corpus-dev/fagai-yunxing-2020-1784-zhongchangqi-hetong': {
    title: '国家发展改革委 国家能源局关于做好2021年电力中长期合同签订工作的通知',
    issuers: ['国家发展改革委', '国家能源局'],
    docNumber: '发改运行〔2020〕1784号',
    date: '2020-11-25',
    region: '全国',
  },
  'corpus-dev/report-2026-henan': {
    title: '2026年河南省政府工作报告',
    issuers: ['河南省人民政府'],
    docNumber: null,
    date: '2026-01-26',
    region: '河南省',
    kind: '工作报告',
  },
  'corpus-dev/report-2026-sichuan': {
    title: '2026年四川省人民政府工作报告',
    issuers: ['四川省人民政府'],
    docNumber: null,
    date: '2026-02-03',
    region: '四川省',
  },
  'corpus-dev/report-2026-zhejiang': {
    title: '2026年浙江省政府工作报告',
    issuers: ['浙江省人民政府'],
    docNumber: null,
    date: '2026-01-14',
    region: '浙江省',
  },
  'corpus-dev/zhongyang-yihao-wenjian-2026': {
    title: '中共中央 国务院关于锚定农业农村现代化 扎实推进乡村全面振兴的意见',
    issuers: ['中共中央', '国务院'],
    docNumber: null,
    date: '2026-01-03',
    region: '全国',
    kind: '意见',
  },
  'corpus-dev/nongyenongcunbu-2026-shishi-yijian': {
    title: '农业农村部关于落实《中共中央国务院关于锚定农业农村现代化扎实推进乡村全面振兴的意见》的实施意见',
    issuers: ['农业农村部'],
    docNumber: null,
    date: '2026-01-19',
    region: '全国',
    kind: '实施意见',
  },
  'corpus-web-dev/2018-jiangsu-shoudian-qiye-zhuanxiang-jianguan': {
    title: '关于开展江苏售电企业电力市场交易规则执行情况专项监管工作的通知',
    issuers: ['国家能源局江苏监管办公室'],
    docNumber: null,
    date: '2018-09-28',
    region: '江苏省',
  },
  'corpus-web-dev/2020-jiangxi-fuzhu-fuwu-shichang-yunying-guize': {
    title: '国家能源局华中监管局 江西省能源局关于印发《江西省电力辅助服务市场运营规则（试行）》的通知',
    issuers: ['国家能源局华中监管局', '江西省能源局'],
    docNumber: '华中监能市场〔2020〕187号',
    date: '2020-10-29',
    region: '江西省',
  },
  'corpus-web-dev/2020-natl-dianwang-guihua-touzi-guanli-816': {
    title: '国家发展改革委 国家能源局关于加强和规范电网规划投资管理工作的通知',
    issuers: ['国家发展改革委', '国家能源局'],
    docNumber: '发改能源规〔2020〕816号',
    date: '2020-05-28',
    region: '全国',
  },
  'corpus-web-dev/2021-huabei-jingjintang-2022-zhongchangqi-jiaoyi': {
    title: '华北能源监管局关于明确2022年京津唐电网电力中长期交易有关事项的通知',
    issuers: ['国家能源局华北监管局'],
    docNumber: '华北监能市场〔2021〕212号',
    date: '2021-12-15',
    // 华北 is a grid region, not an administrative one: unknown rather than guessed.
    region: null,
  },
  'corpus-web-dev/2021-shanghai-zhuanfa-jianqiang-jubu-dianwang-fangan': {
    title: '关于转发《国家能源局关于印发<坚强局部电网规划建设实施方案>的通知》的通知',
    issuers: ['上海市发展和改革委员会'],
    docNumber: '沪发改能源〔2021〕3号',
    date: '2021-01-05',
    region: '上海市',
  },
  'corpus-web-dev/2022-natl-xinxing-chuneng-canyu-shichang-475': {
    title: '国家发展改革委办公厅 国家能源局综合司关于进一步推动新型储能参与电力市场和调度运用的通知',
    issuers: ['国家发展改革委办公厅', '国家能源局综合司'],
    docNumber: '发改办运行〔2022〕475号',
    date: '2022-05-24',
    region: '全国',
  },
  'corpus-web-dev/2023-natl-meidian-rongliang-dianjia-jizhi-1501': {
    title: '国家发展改革委 国家能源局关于建立煤电容量电价机制的通知',
    issuers: ['国家发展改革委', '国家能源局'],
    docNumber: '发改价格〔2023〕1501号',
    date: '2023-11-08',
    region: '全国',
  },
  'corpus-web-dev/2024-guangdong-xuni-dianchang-canyu-shichang-fangan': {
    title: '广东省能源局 国家能源局南方监管局关于印发《广东省虚拟电厂参与电力市场交易实施方案》的通知',
    issuers: ['广东省能源局', '国家能源局南方监管局'],
    docNumber: null,
    date: '2024-11-04',
    region: '广东省',
  },
  'corpus-web-dev/2024-neimenggu-2025-duobian-jiaoyi-zhongchangqi-tongzhi': {
    title: '内蒙古自治区能源局关于做好2025年内蒙古电力多边交易市场中长期交易有关事宜的通知',
    issuers: ['内蒙古自治区能源局'],
    docNumber: '内能源电力字〔2024〕831号',
    date: '2024-12-19',
    region: '内蒙古自治区',
  },
  'corpus-web-dev/2025-chongqing-zhineng-wanglian-xinnengyuan-shangyongche-zhengce': {
    title:
      '重庆市经济和信息化委员会 重庆市财政局 中共重庆市委金融委员会办公室 国家金融监督管理总局重庆监管局 重庆市商务委员会关于印发《重庆市支持智能网联新能源商用车产业发展政策措施（2025—2027年）》的通知',
    issuers: [
      '重庆市经济和信息化委员会',
      '重庆市财政局',
      '中共重庆市委金融委员会办公室',
      '国家金融监督管理总局重庆监管局',
      '重庆市商务委员会',
    ],
    docNumber: '渝经信规范〔2025〕13号',
    date: '2025-12-30',
    region: '重庆市',
  },
  'corpus-web-dev/2025-tianjin-dianli-xuqiuce-guanli-shishi-xize': {
    title: '市工业和信息化局等部门关于印发《天津市电力需求侧管理实施细则》的通知',
    issuers: ['天津市工业和信息化局'],
    docNumber: '津工信规〔2025〕1号',
    date: '2025-11-25',
    region: '天津市',
  },
  'corpus-web-dev/2026-beijing-xinnengyuan-gongre-xiangmu-zhengji': {
    title: '北京市发展和改革委员会关于公开征集市政府固定资产投资支持新能源供热项目的通知',
    issuers: ['北京市发展和改革委员会'],
    docNumber: '京发改〔2026〕341号',
    date: '2026-03-06',
    region: '北京市',
  },
};

async function library(folder: string): Promise<StructuredDocument[]> {
  const { documents } = await loadCorpus(join(EVAL, folder, 'docs'));
  return documents.map((d) => structureDocument({ ...d, id: `${folder}/${d.id}` }));
}

describe('metadata of real policy documents', async () => {
  const docs = [...(await library('corpus-dev')), ...(await library('corpus-web-dev'))];
  for (const [id, want] of Object.entries(EXPECTED)) {
    it(id, () => {
      const doc = docs.find((d) => d.id === id);
      assert.ok(doc, `${id} loaded`);
      const { meta } = doc;
      assert.equal(compact(meta.title), compact(want.title));
      assert.deepEqual(
        meta.issuers.map((i) => i.full),
        want.issuers,
      );
      assert.equal(meta.docNumber, want.docNumber);
      assert.equal(meta.date, want.date);
      assert.equal(meta.region?.name ?? null, want.region);
      if (want.kind) assert.equal(meta.kind, want.kind);
    });
  }

  it('reads every document of the two libraries', () => {
    assert.equal(docs.length, 36);
  });

  it("keeps a forwarded report's signer apart from the issuer", () => {
    const doc = docs.find((d) => d.id === 'corpus-dev/guobanfa-1996-02-dizhen-zhongdian-fangyu');
    assert.deepEqual(doc?.meta.signers, ['国家地震局']);
  });

  it('reads the rules a 印发 notice issues as an attachment with its own chapters', () => {
    const doc = docs.find((d) => d.id === 'corpus-dev/guofa-2004-18-guowuyuan-gongzuo-guize');
    assert.equal(doc?.parts[1]?.kind, 'attachment');
    assert.equal(doc?.parts[1]?.title, '国务院工作规则');
    const chapters = doc?.sections.filter(
      (s) => s.part === 1 && s.label?.startsWith('第') && s.label.endsWith('章'),
    );
    assert.equal(chapters?.length, 10);
  });

  it('chunks hold no page chrome, no bare page number and no fragment', () => {
    for (const doc of docs) {
      for (const c of chunkDocument(doc, { size: 300, overlap: 60 })) {
        // No chrome, no bare page number; under 40 characters only a whole clause of its own.
        const verdict = auditChunk(c.text);
        assert.ok(
          !['chrome', 'page-number', 'fragment'].includes(verdict),
          `${verdict}: ${c.id}: ${c.text.slice(0, 60)}`,
        );
      }
    }
  });

  it('section paths follow the numbering (一、 › （一）; 第X章 › 第X条)', () => {
    const report = docs.find((d) => d.id === 'corpus-web-dev/2024-natl-fuzhu-fuwu-shichang-jiage-jizhi-196');
    const chunks = chunkDocument(report as StructuredDocument, { size: 300, overlap: 60 });
    const cap = chunks.find((c) => c.text.includes('调频里程出清价格上限不超过每千瓦0.015元'));
    assert.deepEqual(cap?.sectionPath, [
      '三、健全调频辅助服务交易和价格机制',
      '（四）合理确定调频服务价格上限',
    ]);
    const rules = docs.find((d) => d.id === 'corpus-web-dev/2020-jiangxi-fuzhu-fuwu-shichang-yunying-guize');
    assert.equal(rules?.parts[1]?.kind, 'attachment');
    const article = chunkDocument(rules as StructuredDocument, { size: 300, overlap: 60 }).find((c) =>
      c.text.includes('本规则所指电力辅助服务交易包括深度调峰交易和启停调峰交易'),
    );
    assert.equal(article?.sectionPath[0], '第一章 总 则');
    assert.match(article?.sectionPath.at(-1) ?? '', /^第[一二三四五六七八九十]+条$/u);
  });
});
