/**
 * Writes a small PDF whose text uses the non-embedded CJK font STSong-Light with the UniGB-UCS2-H CMap, as
 * older Chinese PDFs do (reading it needs the vendored CMaps). Coordinates in points, origin bottom-left,
 * A4 pages.
 */
export interface PdfLine {
  text: string;
  x: number;
  y: number;
  size?: number;
}

const hex = (s: string) => [...s].map((c) => (c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')).join('');

export function buildPdf(pages: readonly PdfLine[][]): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const kids = pages.map((_, i) => `${4 + i * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add(
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 >>] >>',
  );
  for (const [i, lines] of pages.entries()) {
    const content = lines
      .map((l) => `BT /F1 ${l.size ?? 12} Tf 1 0 0 1 ${l.x} ${l.y} Tm <${hex(l.text)}> Tj ET`)
      .join('\n');
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`,
    );
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Lines of a paragraph set 12 pt, 28 characters a line, first line indented two characters. */
export function paragraphLines(text: string, top: number, options: { indent?: boolean } = {}): PdfLine[] {
  const chars = [...text];
  const lines: PdfLine[] = [];
  const indent = options.indent ?? true;
  let i = 0;
  let y = top;
  while (i < chars.length) {
    const first = lines.length === 0 && indent;
    const width = first ? 26 : 28;
    lines.push({ text: chars.slice(i, i + width).join(''), x: first ? 96 : 72, y });
    i += width;
    y -= 20;
  }
  return lines;
}
