import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  docNumberLine,
  findDocNumbers,
  normalizeDocNumber,
} from '../../../src/ingest/metadata/doc-number.js';
import { structureDocument } from '../../../src/ingest/structure-document.js';

describe('文号', () => {
  it('reads the year brackets however a page, a person or OCR wrote them', () => {
    for (const written of [
      '国办发〔2019〕2号',
      '国办发[2019]2号',
      '国办发【2019】2号',
      '国办发（2019）2号',
      '国办发(2019)2号',
      '国办发［2019］2号',
      '国办发〔2019]2号',
      '国办发[2019〕2号',
      '国 办 发 [ 2019 ] 2 号',
    ]) {
      assert.equal(normalizeDocNumber(written), '国办发〔2019〕2号', written);
    }
    assert.equal(normalizeDocNumber('中华人民共和国国务院令 第706号'), '国令第706号');
  });

  it('finds a 文号 inside a sentence, without the words before it', () => {
    const [found] = findDocNumbers('根据发改运行【2020】1784号文件要求');
    assert.equal(found?.value, '发改运行〔2020〕1784号');
    assert.equal(found?.code, '发改运行');
  });

  it('tells a 文号 line from a sentence that cites one', () => {
    assert.equal(docNumberLine('国办发[2019]2号'), '国办发〔2019〕2号');
    assert.equal(docNumberLine('（国令第706号）'), '国令第706号');
    assert.equal(docNumberLine('按照国办发〔2019〕2号文件要求抓好落实。'), null);
  });

  it('gives an OCR-read notice its 文号 in the canonical form', () => {
    const doc = structureDocument({
      id: 'scan',
      path: 'scan.pdf',
      format: 'pdf',
      contentHash: 'x',
      text: [
        '国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知',
        '国办发【2019】3号',
        '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：',
        '城镇小区配套幼儿园是城镇公共服务设施的重要组成部分，为切实做好治理工作，现就有关事项通知如下。',
      ].join('\n\n'),
    });
    assert.equal(doc.meta.docNumber, '国办发〔2019〕3号');
    assert.equal(doc.meta.title, '国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知');
  });
});
