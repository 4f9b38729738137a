import { strToU8, zipSync } from 'fflate';

/**
 * Builds a small DOCX in memory (the parts Word needs: content types, relationships, document, styles,
 * numbering, core properties), so DOCX tests need no binary fixture.
 */

export type DocxBlock =
  | { heading: 1 | 2 | 3; text: string }
  | { paragraph: string; numbered?: { numId: 1; ilvl: 0 | 1 } }
  | { table: string[][] }
  | { lines: string[] };

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const run = (s: string) => `<w:r><w:t xml:space="preserve">${esc(s)}</w:t></w:r>`;

function block(b: DocxBlock): string {
  if ('heading' in b) return `<w:p><w:pPr><w:pStyle w:val="${b.heading}"/></w:pPr>${run(b.text)}</w:p>`;
  if ('lines' in b) return `<w:p>${b.lines.map(run).join('<w:r><w:br/></w:r>')}</w:p>`;
  if ('table' in b) {
    const rows = b.table.map(
      (r) => `<w:tr>${r.map((c) => `<w:tc><w:p>${run(c)}</w:p></w:tc>`).join('')}</w:tr>`,
    );
    return `<w:tbl>${rows.join('')}</w:tbl>`;
  }
  const num = b.numbered
    ? `<w:pPr><w:numPr><w:ilvl w:val="${b.numbered.ilvl}"/><w:numId w:val="${b.numbered.numId}"/></w:numPr></w:pPr>`
    : '';
  return `<w:p>${num}${run(b.paragraph)}</w:p>`;
}

/** Style ids "1"–"3" named "heading 1"–"heading 3", as Chinese Word writes them. */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
${[1, 2, 3].map((n) => `<w:style w:type="paragraph" w:styleId="${n}"><w:name w:val="heading ${n}"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="${n - 1}"/></w:pPr></w:style>`).join('\n')}
</w:styles>`;

/** One list: level 0 "一、" (chineseCounting), level 1 "（一）". */
const NUMBERING = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="${W}">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>`;

export function buildDocx(blocks: readonly DocxBlock[], title?: string): Uint8Array {
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${W}"><w:body>${blocks.map(block).join('')}<w:sectPr/></w:body></w:document>`;
  const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${esc(title ?? '')}</dc:title></cp:coreProperties>`;
  return zipSync({
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`),
    'word/_rels/document.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>`),
    'word/document.xml': strToU8(document),
    'word/styles.xml': strToU8(STYLES),
    'word/numbering.xml': strToU8(NUMBERING),
    'docProps/core.xml': strToU8(core),
  });
}

/** The notice the format tests build in DOCX (and, converted once by LibreOffice, in .doc). */
export const SAMPLE_NOTICE: DocxBlock[] = [
  { heading: 1, text: '某某市人民政府办公室关于开展公文格式测试的通知' },
  { paragraph: '某政办发〔2026〕7号' },
  { paragraph: '各区人民政府，市政府各部门：' },
  { paragraph: '为检验办公系统读取公文的能力，现就有关事项通知如下。' },
  { paragraph: '工作目标', numbered: { numId: 1, ilvl: 0 } },
  { paragraph: '到2026年底，全市公文电子化率达到95%以上。', numbered: { numId: 1, ilvl: 1 } },
  { paragraph: '保障措施', numbered: { numId: 1, ilvl: 0 } },
  { heading: 2, text: '附表' },
  {
    table: [
      ['项目', '责任单位', '完成时限'],
      ['公文系统改造', '市大数据局', '2026年6月30日'],
    ],
  },
  { lines: ['某某市人民政府办公室', '2026年3月10日'] },
];
