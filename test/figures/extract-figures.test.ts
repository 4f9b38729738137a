import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractFigures } from '../../src/figures/extract-figures.js';
import { structureDocument } from '../../src/ingest/index.js';
import { textLoader } from '../../src/ingest/loaders/text-loader.js';
import type { StructuredDocument } from '../../src/types.js';
import { loadSeed, loadWith } from '../ingest/seed.js';
import { readFigureList, scoreFigures } from './figure-lists.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/figures/', import.meta.url));
const HENAN = fileURLToPath(new URL('../../eval/corpus-dev/docs/report-2026-henan.txt', import.meta.url));
const CHONGQING = fileURLToPath(
  new URL(
    '../../eval/corpus-web-dev/docs/2025-chongqing-zhineng-wanglian-xinnengyuan-shangyongche-zhengce.txt',
    import.meta.url,
  ),
);
const MEIDIAN = fileURLToPath(
  new URL(
    '../../eval/corpus-web-dev/docs/2023-natl-meidian-rongliang-dianjia-jizhi-1501.txt',
    import.meta.url,
  ),
);

async function docOf(text: string, id = 'doc'): Promise<StructuredDocument> {
  return structureDocument(await loadWith(textLoader, `/virtual/${id}.txt`, new TextEncoder().encode(text)));
}

describe('extractFigures', () => {
  it('reads amount, percentage, count and deadline with unit, qualifier, direction and a verbatim quote', async () => {
    const doc = await docOf(
      '某省人民政府关于2024年工作的报告\n\n2023年，全省生产总值增长5.6%，财政总收入7019亿元，新增就业超60万人，行政村全部通硬化路。\n\n2024年，力争粮食产量1300亿斤以上，各地于2024年4月底前完成摸底排查。\n',
    );
    const figures = extractFigures(doc);
    const by = (v: string) => figures.find((f) => f.valueText.startsWith(v));
    const growth = by('5.6%');
    assert.ok(growth);
    assert.deepEqual(
      [growth.kind, growth.unit, growth.value, growth.change, growth.status, growth.year, growth.subject],
      ['percent', '%', 5.6, 'up', 'result', 2023, '全省生产总值'],
    );
    const revenue = by('7019亿元');
    assert.deepEqual([revenue?.kind, revenue?.unit, revenue?.value], ['amount', '元', 7019e8]);
    const jobs = by('60万人');
    assert.deepEqual([jobs?.kind, jobs?.qualifier, jobs?.value], ['count', '超', 60e4]);
    const grain = by('1300亿斤以上');
    assert.deepEqual([grain?.status, grain?.year, grain?.qualifier], ['target', 2024, '以上']);
    const deadline = by('2024年4月底前');
    assert.deepEqual([deadline?.kind, deadline?.date, deadline?.status], ['date', '2024-04', 'target']);
    for (const f of figures) {
      assert.equal(doc.cleanedText.slice(f.start, f.end), f.quote, f.id);
      assert.equal(doc.cleanedText.slice(f.valueStart, f.valueEnd), f.valueText, f.id);
      assert.ok(f.start <= f.valueStart && f.valueEnd <= f.end, f.id);
    }
  });

  it('leaves out what is not a figure: years, ordinals, list labels, model names, magnitudes, titles', async () => {
    const doc = await docOf(
      '关于2022年工作的通知\n\n1.举办第23届博览会，推进5G和IPv6建设，PM2.5浓度持续下降，防范7.3级地震，落实《规划（2021-2025年）》，实现“1+1>2”，建设25兆瓦级风电。\n',
    );
    assert.deepEqual(
      extractFigures(doc).map((f) => f.valueText),
      [],
    );
  });

  it('takes a ranged target, a five-year plan year and a heading year', async () => {
    const doc = await docOf(
      '某省政府工作报告\n\n一、“十五五”时期主要目标任务\n\n经济年均增长5%—5.5%，城镇化率达到65%左右。\n\n二、2026年重点工作安排\n\n新建改造高标准农田400万亩以上。\n',
    );
    const figures = extractFigures(doc);
    const range = figures.find((f) => f.valueText === '5%—5.5%');
    assert.deepEqual([range?.value, range?.valueMax, range?.year, range?.status], [5, 5.5, 2030, 'target']);
    const farmland = figures.find((f) => f.valueText.startsWith('400万亩'));
    assert.deepEqual([farmland?.year, farmland?.status, farmland?.unit], [2026, 'target', '亩']);
  });
});

describe('figure lists written by hand', () => {
  const cases = [
    { name: 'seed', file: 'seed-miit-2022-work-plans.json', load: async () => structureDocument(loadSeed()) },
    {
      name: 'dev: report-2026-henan',
      file: 'report-2026-henan.json',
      load: async () => structureDocument(await loadWith(textLoader, HENAN)),
    },
    {
      // Listed by hand before the extractor first ran on it.
      name: 'web-dev: 2023-natl-meidian-rongliang-dianjia-jizhi-1501',
      file: 'web-2023-natl-meidian-rongliang-dianjia-jizhi-1501.json',
      load: async () => structureDocument(await loadWith(textLoader, MEIDIAN)),
    },
    {
      // Listed by hand before the extractor first ran on it.
      name: 'web-dev: 2025-chongqing-zhineng-wanglian-xinnengyuan-shangyongche-zhengce',
      file: 'web-2025-chongqing-zhineng-wanglian-xinnengyuan-shangyongche-zhengce.json',
      load: async () => structureDocument(await loadWith(textLoader, CHONGQING)),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: precision and recall ≥ 0.9`, async (t) => {
      const score = scoreFigures(await c.load(), readFigureList(`${FIXTURES}${c.file}`));
      t.diagnostic(
        `${c.name}: listed ${score.listed}, extracted ${score.extracted}, matched ${score.matched}, precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}, kind ${score.kind.toFixed(3)}, status ${score.status.toFixed(3)}, year ${score.year.toFixed(3)}`,
      );
      assert.ok(
        score.precision >= 0.9,
        `precision ${score.precision}: ${score.spurious.map((f) => f.quote).join(' | ')}`,
      );
      assert.ok(
        score.recall >= 0.9,
        `recall ${score.recall}: ${score.missed.map((f) => f.text).join(' | ')}`,
      );
      assert.ok(score.status >= 0.9 && score.year >= 0.9, JSON.stringify(score.wrong.slice(0, 5)));
    });
  }
});
