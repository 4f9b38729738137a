import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOcr } from '../../../src/cli/commands/doctor.js';

describe('doctor: OCR', () => {
  it("lists OCR'd documents with their mean confidence and flags low-confidence pages", () => {
    const { report, lines } = describeOcr([
      { id: 'notice', ocr: undefined },
      { id: 'scan', ocr: { pages: 2, meanConfidence: 87.26, lowConfidencePages: [], ms: 9000 } },
      { id: 'photo', ocr: { pages: 3, meanConfidence: 51.4, lowConfidencePages: [2, 3], ms: 0 } },
    ]);
    assert.deepEqual(report, [
      { id: 'scan', pages: 2, meanConfidence: 87.3, lowConfidencePages: [] },
      { id: 'photo', pages: 3, meanConfidence: 51.4, lowConfidencePages: [2, 3] },
    ]);
    assert.match(lines[0] ?? '', /OCR: 2 document\(s\), 5 page\(s\)/);
    assert.match(lines[1] ?? '', /scan: 2 page\(s\), mean confidence 87$/);
    assert.match(
      lines[2] ?? '',
      /photo: 3 page\(s\), mean confidence 51 {2}⚠ low confidence on page\(s\) 2, 3/,
    );
  });

  it('says nothing when no document went through OCR', () => {
    assert.deepEqual(describeOcr([{ id: 'notice', ocr: undefined }]), { report: [], lines: [] });
  });
});
