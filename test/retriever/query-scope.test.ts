import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regionByCode } from '../../src/ingest/metadata/regions.js';
import {
  type LibraryScope,
  queryScope,
  type ScopeDocument,
  titleCore,
} from '../../src/retriever/query-scope.js';

function doc(id: string, title: string, extra: Partial<ScopeDocument> = {}): ScopeDocument {
  return {
    id,
    title,
    titleCore: titleCore(title),
    docNumber: null,
    docNumberCode: null,
    issuers: [],
    region: null,
    years: [],
    mentionedYears: [],
    ...extra,
  };
}

const zhejiang = regionByCode('330000');
const patent = '专利代理条例';
const kindergarten = '国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知';
const ministry = { full: '中华人民共和国农业农村部', short: '农业农村部' };

/** Copies of three documents, interleaved (a, b, c, a, b, c, …), as a replicated library holds them. */
function replicated(copies: number): LibraryScope {
  const documents: ScopeDocument[] = [];
  for (let i = 0; i < copies; i++) {
    documents.push(
      doc(`a${i}`, patent, { docNumber: '国令第706号', docNumberCode: '国令' }),
      doc(`b${i}`, kindergarten, { issuers: [ministry], region: zhejiang }),
      doc(`c${i}`, '其他文件的标题', { issuers: [ministry] }),
    );
  }
  return { documents, years: [] };
}

describe('queryScope over a library of many copies', () => {
  const library = replicated(50);
  const ids = (question: string, reason: string) =>
    queryScope(question, library)
      .documents.filter((d) => d.reasons.includes(reason as never))
      .map((d) => d.id);
  const inOrder = (prefixes: string[]) =>
    library.documents.filter((d) => prefixes.some((p) => d.id.startsWith(p))).map((d) => d.id);

  it('a title names every copy, in library order', () => {
    assert.deepEqual(ids('专利代理条例从哪天起施行？', 'title'), inOrder(['a']));
  });

  it('two titles named at once interleave as the library does', () => {
    assert.deepEqual(
      ids('专利代理条例和开展城镇小区配套幼儿园治理工作有什么关系', 'title'),
      inOrder(['a', 'b']),
    );
  });

  it('an issuer names every document of any copy that has it', () => {
    assert.deepEqual(ids('农业农村部发了哪些文件', 'issuer'), inOrder(['b', 'c']));
  });

  it('a region and a 文号 name their documents; a missing 文号 is reported', () => {
    assert.deepEqual(ids('浙江的幼儿园怎么治理', 'region'), inOrder(['b']));
    assert.deepEqual(ids('国务院令第706号讲了什么', 'doc-number'), inOrder(['a']));
    assert.deepEqual(queryScope('国办发〔2019〕3号讲了什么', library).missingDocNumbers, [
      '国办发〔2019〕3号',
    ]);
  });
});
