import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { citationSource } from '../../src/answer/citation-source.js';

describe('citationSource', () => {
  it('gives title, 文号 and the innermost sections', () => {
    const source = citationSource({
      docTitle: '专利代理条例',
      partTitle: '专利代理条例',
      docNumber: '国令第706号',
      sectionPath: ['第二章 专利代理机构和专利代理师', '第十条'],
    });
    assert.equal(source, '《专利代理条例》（国令第706号） › 第二章 专利代理机构和专利代理师 › 第十条');
  });

  it('names an attachment part, shortens a deep path and leaves out an unknown 文号', () => {
    const source = citationSource({
      docTitle: '国务院关于印发《国务院工作规则》的通知',
      partTitle: '国务院工作规则',
      docNumber: null,
      sectionPath: ['国务院工作规则', '第一章 总则', '一、', '（一）'],
    });
    assert.equal(source, '《国务院关于印发《国务院工作规则》的通知》 › 国务院工作规则 › … › 一、 › （一）');
  });
});
