import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setReverseDictionaryCacheDir, singular } from '../../src/keyword/cedict-reverse.js';
import { analyzeQuery, detectLanguage } from '../../src/keyword/translate.js';

const dir = mkdtempSync(join(tmpdir(), 'policybot-translate-'));

function terms(text: string, language?: 'zh' | 'en'): Map<string, number> {
  return new Map(analyzeQuery(text, language).terms.map((t) => [t.term, t.weight]));
}

describe('detectLanguage', () => {
  it('tells Chinese from English, counting a Han character as two letters', () => {
    assert.equal(detectLanguage('IPv6方面2022年要实施什么行动？'), 'zh');
    assert.equal(
      detectLanguage('How will the department promote 5G plus connected vehicles (车联网)?'),
      'en',
    );
    assert.equal(detectLanguage('What is planned for 6G research?'), 'en');
    assert.equal(detectLanguage(''), 'en');
  });
});

describe('analyzeQuery (Chinese)', () => {
  it('keeps content words and gives question words no weight', () => {
    const t = terms('智能光伏方面要开展什么工作？');
    assert.ok(t.has('光伏'));
    assert.ok(t.has('智能'));
    assert.ok(!t.has('什么'));
    assert.ok(!t.has('要'));
    assert.ok((t.get('方面') ?? 0) < (t.get('光伏') ?? 0));
    assert.equal(analyzeQuery('智能光伏方面要开展什么工作？').language, 'zh');
  });

  it('drops words built on interrogatives and their bigrams', () => {
    const t = terms('中小企业发展环境评估由谁来做？要打造什么样的区域？');
    for (const word of ['由谁来', '谁来', '什么样', '么样']) assert.ok(!t.has(word), word);
  });

  it('marks every term as coming from the query, with positive weights', () => {
    const a = analyzeQuery('小微企业融资担保有什么政策？');
    assert.ok(a.terms.length > 0);
    assert.ok(a.terms.every((t) => t.source === 'query' && t.weight > 0));
  });

  it('handles empty and symbol-only input', () => {
    assert.deepEqual(analyzeQuery('', 'zh').terms, []);
    assert.deepEqual(analyzeQuery('？？？').terms, []);
  });
});

describe('analyzeQuery (English → Chinese)', () => {
  before(() => setReverseDictionaryCacheDir(dir));
  after(() => {
    setReverseDictionaryCacheDir(null);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps "6G" and translates research', () => {
    const a = analyzeQuery('What is planned for 6G research?');
    assert.equal(a.language, 'en');
    const t = new Map(a.terms.map((x) => [x.term, x]));
    assert.ok(t.has('6g'));
    assert.equal(t.get('6g')?.source, 'query');
    assert.equal(t.get('研究')?.source, 'translation');
  });

  it('translates connected vehicles into a vehicle term and keeps embedded Chinese', () => {
    const t = terms('How will the department promote 5G plus connected vehicles (车联网)?');
    assert.ok(t.has('车辆') || t.has('车'), [...t.keys()].join(' '));
    assert.ok(t.has('5g'));
    assert.ok(t.has('联网'));
    assert.ok(!t.has('plus'));
  });

  it('maps small businesses to small enterprises', () => {
    const t = terms('What support will small businesses get for digital transformation?');
    assert.ok(t.has('小企业') || t.has('中小企业'), [...t.keys()].join(' '));
    assert.ok(t.has('支持'));
    assert.ok(t.has('数字'));
  });

  it('matches multi-word glosses as phrases', () => {
    const t = terms('artificial intelligence and small and medium enterprises');
    assert.ok(t.has('人工智能'));
    assert.ok(t.has('中小企业'));
  });

  it('reads a holiday by its day: "New Year holiday" is 元旦 ("New Year\'s Day"), "National Day holiday" 国庆', () => {
    assert.ok(terms('Which Saturday is a working day for the New Year holiday?').has('元旦'));
    assert.ok(terms("What happens on New Year's Day?").has('元旦'));
    assert.ok(terms('When is the National Day holiday?').has('国庆'));
    // Alone, a holiday is no day.
    assert.equal(terms('How long is the holiday?').has('日子'), false);
  });

  it('keeps acronyms with digits like IPv6 as-is (lower-cased)', () => {
    assert.ok(terms('IPv6 deployment').has('ipv6'));
  });

  it('reloads from the on-disk cache with identical results', () => {
    const first = analyzeQuery('energy storage safety');
    setReverseDictionaryCacheDir(dir);
    assert.deepEqual(analyzeQuery('energy storage safety'), first);
  });

  it('removes caches of earlier rules when it writes its own', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'policybot-cedict-'));
    try {
      writeFileSync(join(fresh, 'cedict-en-zh-v1-1-1.json'), '{}');
      writeFileSync(join(fresh, 'other.json'), '{}');
      setReverseDictionaryCacheDir(fresh);
      analyzeQuery('energy storage');
      const names = readdirSync(fresh).sort();
      assert.equal(names.length, 2, names.join(' '));
      assert.ok(names.includes('other.json'));
      assert.equal(names.includes('cedict-en-zh-v1-1-1.json'), false);
    } finally {
      setReverseDictionaryCacheDir(dir);
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('returns no terms for stopwords only', () => {
    assert.deepEqual(analyzeQuery('what is the', 'en').terms, []);
  });
});

describe('singular', () => {
  it('handles common plurals conservatively', () => {
    assert.equal(singular('businesses'), 'business');
    assert.equal(singular('companies'), 'company');
    assert.equal(singular('vehicles'), 'vehicle');
    assert.equal(singular('analysis'), 'analysis');
    assert.equal(singular('process'), 'process');
  });
});

it('a quoted term outweighs the other words of the question; a long quotation does not', () => {
  const weight = (q: string, term: string) => analyzeQuery(q).terms.find((t) => t.term === term)?.weight ?? 0;
  assert.ok(
    weight('考核里“医护比”这个指标怎么算？', '医护') > weight('考核里“医护比”这个指标怎么算？', '考核'),
  );
  assert.equal(
    weight('考核里医护比这个指标怎么算？', '医护'),
    weight('考核里医护比这个指标怎么算？', '考核'),
  );
  assert.equal(weight('“三级公立医院绩效考核指标体系怎么构成”', '构成'), 1);
});

it('第几次, 几个 and 几天 ask a number: they are no search terms; 几乎 and 今后几年 are words', () => {
  const of = (q: string) => analyzeQuery(q).terms.map((t) => t.term);
  assert.equal(of('今年要开展第几次全国农业普查？').includes('第几次'), false);
  assert.equal(of('要补几天班？').includes('几天'), false);
  assert.ok(of('几乎所有企业都参与').includes('几乎'));
});
